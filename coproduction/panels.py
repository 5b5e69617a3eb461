"""The site-wide dashboard panels: administration and the person's own account."""

from coproduction.dashboard import register
from coproduction.models import Invitation


@register
def administration_panel(request):
    if not request.user.has_perm("coproduction.invite_people"):
        return None
    return {
        "template": "coproduction/panels/administration.html",
        "order": 90,
        "invitations_waiting": Invitation.objects.pending().count(),
    }


@register
def account_panel(request):
    return {"template": "coproduction/panels/account.html", "order": 100}
