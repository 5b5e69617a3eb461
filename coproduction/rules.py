"""Role predicates shared by every app, and the site-wide permissions."""

import rules

from coproduction.roles import Role


def _has_role(role):
    @rules.predicate(name=f"is_{role.lower()}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_member = _has_role(Role.MEMBER)
is_staff_role = _has_role(Role.STAFF)
is_leader = _has_role(Role.LEADER)
is_finance = _has_role(Role.FINANCE)
is_administrator = _has_role(Role.ADMINISTRATOR)

rules.add_perm("coproduction.invite_people", is_administrator)
