"""Dashboard panels for programmes: staff's programmes and plans needing attention; members' projects."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coproduction.dashboard import register
from programmes.models import EARLY_STAGES, InvolvementPoint, Participant, Programme, Project


@register
def staff_programmes_panel(request):
    user = request.user
    if not user.has_perm("programmes.add_programme") or user.is_superuser:
        return None
    programmes = Programme.objects.filter(team_memberships__user=user)
    live = InvolvementPoint.objects.exclude(status=InvolvementPoint.Status.CANCELLED).filter(project=OuterRef("pk"))
    projects = Project.objects.filter(programme__in=programmes, status=Project.Status.ACTIVE)
    needing_attention = projects.filter(
        ~Exists(live.filter(stage__in=EARLY_STAGES))
        | ~Exists(live.filter(ladder_level__gt=4))
        | Exists(live.filter(status=InvolvementPoint.Status.PLANNED, planned_date__lt=timezone.localdate()))
    )
    return {
        "template": "programmes/panels/staff.html",
        "order": 10,
        "programme_count": programmes.count(),
        "plans_needing_attention": needing_attention.select_related("programme")[:5],
        "plans_needing_attention_count": needing_attention.count(),
    }


@register
def member_projects_panel(request):
    user = request.user
    if not user.has_perm("programmes.see_my_projects") or user.is_superuser:
        return None
    mine = Participant.objects.filter(member=user)
    next_point = (
        InvolvementPoint.objects.filter(
            project__participants__in=mine.filter(status=Participant.Status.ACTIVE),
            status=InvolvementPoint.Status.PLANNED,
            planned_date__gte=timezone.localdate(),
        )
        .select_related("project")
        .order_by("planned_date")
        .first()
    )
    return {
        "template": "programmes/panels/member.html",
        "order": 10,
        "taking_part": mine.filter(status=Participant.Status.ACTIVE).count(),
        "invitations": mine.filter(Q(status=Participant.Status.INVITED)).count(),
        "next_point": next_point,
    }
