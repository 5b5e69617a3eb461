"""The header navigation: one list of links, each shown to the roles that may use it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduction.roles import Role

SIGNED_IN = "signed-in"

# (label, URL name, roles that see it). Later features add their rows here.
NAVIGATION = [
    (_("Dashboard"), "dashboard", {SIGNED_IN}),
    (_("My profile"), "people:profile", {Role.MEMBER}),
    (_("My projects"), "programmes:my_projects", {Role.MEMBER}),
    (_("Opportunities"), "people:opportunity_list", {Role.MEMBER}),
    (_("My applications"), "people:my_applications", {Role.MEMBER}),
    (_("My involvement"), "recognition:log_list", {Role.MEMBER}),
    (_("My recognition"), "recognition:my_recognition", {Role.MEMBER}),
    (_("What you told us"), "reporting:my_you_said", {Role.MEMBER}),
    (_("Programmes"), "programmes:list", {Role.STAFF, Role.LEADER, Role.ADMINISTRATOR}),
    (_("Recruitment"), "people:opportunity_manage", {Role.STAFF, Role.ADMINISTRATOR}),
    (_("Approvals"), "recognition:approvals", {Role.STAFF}),
    (_("Payments"), "recognition:finance", {Role.FINANCE}),
    (_("Involvement totals"), "recognition:totals", {Role.LEADER, Role.ADMINISTRATOR}),
    (_("Reports"), "reporting:schedules", {Role.STAFF, Role.LEADER, Role.ADMINISTRATOR}),
    (_("Commitments"), "programmes:commitment_list", {Role.LEADER, Role.STAFF}),
    (_("My training"), "people:my_training", {Role.MEMBER, Role.LEADER, Role.FINANCE}),
    (_("Training"), "people:training_manage", {Role.STAFF, Role.ADMINISTRATOR}),
    (_("Partners"), "programmes:partner_list", {Role.ADMINISTRATOR}),
    (_("Population figures"), "people:population_upload", {Role.ADMINISTRATOR}),
    (_("Invitations"), "invitation_list", {Role.ADMINISTRATOR}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    roles = user.role_names | {SIGNED_IN}
    items = []
    for label, url_name, allowed in NAVIGATION:
        if roles & allowed:
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"navigation": items}
