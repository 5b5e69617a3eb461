"""The portal's roles. Each is a Django group created by a data migration."""

from django.utils.translation import gettext_lazy as _


class Role:
    MEMBER = "Member"
    STAFF = "Staff"
    LEADER = "Leader"
    FINANCE = "Finance"
    ADMINISTRATOR = "Administrator"

    ALL = (MEMBER, STAFF, LEADER, FINANCE, ADMINISTRATOR)
    # Roles that reach other people's data must set up two-factor authentication first.
    NEEDS_MFA = frozenset({STAFF, LEADER, FINANCE, ADMINISTRATOR})
    # Members register themselves; these come only by an administrator's invitation.
    INVITABLE_CHOICES = [
        (STAFF, _("Staff")),
        (LEADER, _("Leader")),
        (FINANCE, _("Finance officer")),
        (ADMINISTRATOR, _("Administrator")),
    ]


def role_group(role: str):
    """The Django group for a role. Created by a migration; get_or_create keeps a flushed test
    database (transactional tests) working too."""
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=role)[0]
