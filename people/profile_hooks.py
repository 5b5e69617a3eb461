"""Dashboard panels, permissions and personal-data sections for profiles, equality monitoring and
your data. Imported once, by PeopleConfig.ready()."""

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduction import access_needs
from coproduction.dashboard import register as register_panel
from coproduction.roles import Role
from coproduction.rules import is_member, is_staff_role
from people import personal_data
from people import services_profiles as services
from people.models import AccessNeeds
from programmes.rules import is_on_project_team

# Permissions --------------------------------------------------------------------------------------
# A profile, access needs and equality answers are kept by members (each only their own: the views
# never take an id). "Your data" is open to everyone signed in.
rules.add_perm("people.keep_profile", is_member)

# Who sees the access needs of a project's participants, flagged wherever those people appear:
# staff on the project's programme team, and nobody else. A rule, not a permission, so tested with
# `rules.test_rule`: an administrator's superuser status does not reach it.
rules.add_rule("people.see_participant_access_needs", is_staff_role & is_on_project_team)


@access_needs.register
def participants_access_needs(viewer, project, user_ids):
    """For the project's staff: each listed person's access needs, in one query. Others: None."""
    if not rules.test_rule("people.see_participant_access_needs", viewer, project):
        return None
    return AccessNeeds.objects.for_people(user_ids)


# Dashboard ----------------------------------------------------------------------------------------
@register_panel
def complete_your_profile_panel(request):
    """A member's nudge to finish their profile, until it is done."""
    user = request.user
    if not user.has_role(Role.MEMBER) or user.is_superuser:
        return None
    progress = services.profile_progress(user)
    if progress["complete"]:
        return None
    steps = [
        {"label": _("Tell us about you"), "url": reverse("people:profile_edit"), "done": progress["profile_done"]},
        {
            "label": _("Tell us about any access needs"),
            "url": reverse("people:access_needs"),
            "done": progress["needs_done"],
        },
        {"label": _("Read the privacy notice"), "url": reverse("people:consent"), "done": progress["privacy_done"]},
        {
            "label": _("Answer the equality questions (you can skip this)"),
            "url": reverse("people:equality"),
            "done": progress["equality_done"],
        },
    ]
    return {"template": "people/profile/panel.html", "order": 5, "steps": steps}


# Personal data ------------------------------------------------------------------------------------
# The account itself is anonymised by services_profiles.erase_person, after every section.
personal_data.register("account", title=_("Your account"), export=services.export_account)
personal_data.register("profile", title=_("Your profile"), export=services.export_profile, erase=services.erase_profile)
personal_data.register(
    "access_needs",
    title=_("Your communication and access needs"),
    export=services.export_access_needs,
    erase=services.erase_access_needs,
)
personal_data.register(
    "equality",
    title=_("Your equality monitoring answers"),
    export=services.export_equality_answers,
    erase=services.erase_equality_answers,
)
# Consent history stays after erasure: it is the record of what was agreed, with no personal data.
personal_data.register("consent", title=_("What you have agreed to"), export=services.export_consents)
personal_data.register(
    "deletion_requests", title=_("Requests to delete your account"), export=services.export_deletion_requests
)
personal_data.register(
    "programmes",
    title=_("Projects and programmes"),
    export=services.export_programmes,
    erase=services.erase_programmes,
)
personal_data.not_exported(
    "coproduction.User.password", reason="a one-way hash of the password: a secret that tells the person nothing"
)
personal_data.not_exported(
    "account.EmailConfirmation.key", reason="the secret in an email-confirmation link: it tells the person nothing"
)
