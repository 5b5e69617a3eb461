"""'Our way of working': a programme's co-production figures, computed in SQL from real data.

A fixed number of queries whatever the number of projects or points.
"""

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import (
    EARLY_STAGES,
    ChampionCommitment,
    InvolvementPoint,
    LadderLevel,
    LadderRating,
    Participant,
    Project,
    SignOffRequest,
)

LIVE_POINT = ~Q(involvement_points__status=InvolvementPoint.Status.CANCELLED)


def plan_weaknesses(project, points) -> list[str]:
    """What is weak about a project's plan, in plain words. `points` are its involvement points."""
    live = [p for p in points if p.status != InvolvementPoint.Status.CANCELLED]
    if not live:
        return [_("This project has no co-production plan yet. Add the moments where people will shape decisions.")]
    warnings = []
    if not any(p.stage in EARLY_STAGES for p in live):
        warnings.append(
            _(
                "People are not involved before the develop stage. "
                "Involve them while the problem is still being understood."
            )
        )
    if max(p.ladder_level for p in live) <= LadderLevel.CONSULTING:
        warnings.append(
            _(
                "Nothing in this plan goes above consulting. "
                "Plan at least one point where people design or decide with you."
            )
        )
    overdue = len([p for p in live if p.is_overdue])
    if overdue:
        warnings.append(
            ngettext(
                "%(count)d involvement point is in the past but still marked planned. Say whether it happened.",
                "%(count)d involvement points are in the past but still marked planned. Say whether they happened.",
                overdue,
            )
            % {"count": overdue}
        )
    return warnings


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def programme_figures(programme) -> dict:
    projects = Project.objects.filter(programme=programme).exclude(status=Project.Status.CANCELLED)
    live_points = InvolvementPoint.objects.filter(project__programme=programme).exclude(
        status=InvolvementPoint.Status.CANCELLED
    )
    project_counts = projects.aggregate(
        total=Count("pk"),
        with_plan=Count("pk", filter=Q(Exists(live_points.filter(project=OuterRef("pk"))))),
        early=Count("pk", filter=Q(Exists(live_points.filter(project=OuterRef("pk"), stage__in=EARLY_STAGES)))),
    )
    by_level = dict(live_points.values_list("ladder_level").annotate(n=Count("pk")).order_by())
    ladder_rows = [
        {"level": level.label, "value": level.value, "count": by_level.get(level.value, 0)} for level in LadderLevel
    ]
    happened = live_points.filter(status=InvolvementPoint.Status.HAPPENED)
    # Each rated point counts once: the average of its ratings against the rung it planned.
    # (One row per rated point; PostgreSQL cannot average an average in one aggregate.)
    per_point = list(
        LadderRating.objects.filter(involvement_point__in=happened)
        .values("involvement_point")
        .annotate(achieved=Avg("level"), intended=Max("involvement_point__ladder_level"))
        .values_list("intended", "achieved")
    )
    points_rated = len(per_point)
    ratings = LadderRating.objects.filter(involvement_point__in=happened).aggregate(
        staff=Count("pk", filter=Q(rater_kind="staff")), participants=Count("pk", filter=Q(rater_kind="participant"))
    )
    today = timezone.localdate()
    champions = ChampionCommitment.objects.filter(status=ChampionCommitment.Status.ACTIVE, review_date__gte=today)
    latest_sign_off = (
        SignOffRequest.objects.filter(programme=programme).select_related("leader").order_by("-created_at").first()
    )
    return {
        "projects": project_counts["total"],
        "projects_with_plan": project_counts["with_plan"],
        "projects_with_plan_share": share(project_counts["with_plan"], project_counts["total"]),
        "projects_early": project_counts["early"],
        "projects_early_share": share(project_counts["early"], project_counts["with_plan"]),
        "ladder_rows": ladder_rows,
        "ladder_max": max((row["count"] for row in ladder_rows), default=0),
        "points_rated": points_rated,
        "intended_average": sum(i for i, _ in per_point) / points_rated if points_rated else None,
        "achieved_average": sum(float(a) for _, a in per_point) / points_rated if points_rated else None,
        "ratings_by_staff": ratings["staff"],
        "ratings_by_participants": ratings["participants"],
        "champions_for_programme": champions.filter(programme=programme).count(),
        "champions_system_wide": champions.filter(programme__isnull=True).count(),
        "latest_sign_off": latest_sign_off,
        "members_taking_part": Participant.objects.taking_part()
        .filter(project__programme=programme)
        .values("member")
        .distinct()
        .count(),
        "first_point_date": live_points.aggregate(first=Min("planned_date"))["first"],
    }


def ladder_label(value) -> str:
    """The nearest rung's name for an average level, e.g. 5.6 → 'Co-design'."""
    if value is None:
        return ""
    return LadderLevel(min(7, max(1, round(value)))).label
