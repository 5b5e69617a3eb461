"""Dashboard panel for leaders: requests waiting for their decision. Imported in ProgrammesConfig.ready()."""

import rules

from coproduction.dashboard import register
from programmes.models import ChampionCommitment, SignOffRequest


@register
def leader_requests_panel(request):
    user = request.user
    if not rules.has_perm("programmes.make_commitment", user):  # leaders only, not every superuser
        return None
    waiting = (
        ChampionCommitment.objects.filter(leader=user, status=ChampionCommitment.Status.REQUESTED).count()
        + SignOffRequest.objects.filter(leader=user, status=SignOffRequest.Status.WAITING).count()
    )
    return {"template": "programmes/champions/panel_leader.html", "order": 20, "waiting": waiting}
