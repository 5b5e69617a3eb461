"""The seven-steps indicators, for one programme or (programme=None) the whole system, computed in
SQL from real data: a fixed number of queries however many people, projects or items there are.

Every count of people goes through coproduction.disclosure (the one suppression rule): callers get
`Cell`s, never true small counts. Hours and money are hidden whenever the number of people they
belong to is hidden, so nobody's payments can be worked out. Counts of things (projects,
involvement points, "You said" items) are not counts of people and are shown as they are.

    steps = seven_steps(programme=programme, start=date(2026, 1, 1), end=date(2026, 3, 31))
    steps.reward.people, steps.you_said.median_days, steps.headline()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction import disclosure
from people.models import Course, EqualitySnapshot, TrainingRecord
from people.services_opportunities import reach_report
from programmes.figures import share
from programmes.models import (
    EARLY_STAGES,
    ChampionCommitment,
    InvolvementPoint,
    LadderLevel,
    LadderRating,
    Participant,
    Project,
    TeamMembership,
)
from recognition.models import ExpenseItem, Reward
from reporting.models import Theme, WeDid, YouSaid

REACH_CHARACTERISTICS = ("age_band", "ethnicity", "disability")


@dataclass
class Champions:
    commitments: disclosure.Cell  # leaders with a current commitment (people)
    for_programme: disclosure.Cell | None


@dataclass
class Recruitment:
    applied: disclosure.Cell
    selected: disclosure.Cell
    reach_tables: list
    area: str


@dataclass
class Rewards:
    people: disclosure.Cell
    hours: Decimal | None  # None when hidden with the count of people
    rewards_spend: Decimal | None
    expenses_spend: Decimal | None

    @property
    def total_spend(self) -> Decimal | None:
        if self.rewards_spend is None or self.expenses_spend is None:
            return None
        return self.rewards_spend + self.expenses_spend


@dataclass
class Plans:
    projects: int
    with_plan: int
    early: int
    ladder_rows: list  # [{"level", "value", "planned", "rated"}]
    ladder_max: int
    intended_average: float | None
    achieved_average: float | None

    @property
    def with_plan_share(self):
        return share(self.with_plan, self.projects)

    @property
    def early_share(self):
        return share(self.early, self.with_plan)

    @property
    def above_consulting(self) -> int:
        return sum(row["planned"] for row in self.ladder_rows if row["value"] > LadderLevel.CONSULTING)


@dataclass
class TrainingCoverage:
    required_courses: int
    people: disclosure.Cell
    current: disclosure.Cell

    @property
    def share(self):
        return disclosure.Rule.from_settings().rounded_share(self.current, self.people)


@dataclass
class Training:
    staff: TrainingCoverage
    members: TrainingCoverage


@dataclass
class YouSaidFigures:
    said: int
    answered: int
    done: int
    not_possible: int
    median_days: float | None
    themes: list  # [{"theme", "label", "count"}]
    themes_max: int

    @property
    def answered_share(self):
        return share(self.answered, self.said)

    @property
    def done_share(self):
        return share(self.done, self.answered)


@dataclass
class SevenSteps:
    start: date
    end: date
    programme: object
    champions: Champions
    recruitment: Recruitment
    reward: Rewards
    plans: Plans
    training: Training
    you_said: YouSaidFigures
    notes: list = field(default_factory=list)

    @property
    def training_rows(self) -> list:
        return [(_("Programme staff"), self.training.staff), (_("Members taking part"), self.training.members)]

    def headline(self) -> dict[str, str]:
        """The figures a report compares with the last one, as shown (already protected)."""

        def money(value):
            return disclosure.SUPPRESSED if value is None else f"£{value:,.2f}"

        def pct(value):
            return "–" if value is None else f"{value}%"

        return {
            "champions": str(self.champions.commitments),
            "applied": str(self.recruitment.applied),
            "selected": str(self.recruitment.selected),
            "people_rewarded": str(self.reward.people),
            "hours": disclosure.SUPPRESSED if self.reward.hours is None else f"{self.reward.hours:,}",
            "spend": money(self.reward.total_spend),
            "projects_with_plan": pct(self.plans.with_plan_share),
            "early": pct(self.plans.early_share),
            "staff_training": pct(self.training.staff.share),
            "member_training": pct(self.training.members.share),
            "you_said": str(self.you_said.said),
            "answered": pct(self.you_said.answered_share),
            "done": pct(self.you_said.done_share),
            "median_days": "–" if self.you_said.median_days is None else f"{self.you_said.median_days:g}",
        }


HEADLINE_LABELS = {
    "champions": _("Leaders championing co-production"),
    "applied": _("People who applied to get involved"),
    "selected": _("People selected"),
    "people_rewarded": _("People rewarded for their time"),
    "hours": _("Hours of involvement"),
    "spend": _("Spent on rewards and expenses"),
    "projects_with_plan": _("Projects with a co-production plan"),
    "early": _("Plans that involve people before the develop stage"),
    "staff_training": _("Programme staff with their training up to date"),
    "member_training": _("Members with their training up to date"),
    "you_said": _("“You said” items in the period"),
    "answered": _("“You said” items with a “We did”"),
    "done": _("“We did” actions done"),
    "median_days": _("Median days to a “We did”"),
}


def headline_labels() -> dict[str, str]:
    return {key: str(label) for key, label in HEADLINE_LABELS.items()}


# The steps ----------------------------------------------------------------------------------------
def _scope(programme, path: str) -> Q:
    return Q(**{path: programme}) if programme is not None else Q()


def champions(programme, *, end: date, rule) -> Champions:
    current = ChampionCommitment.objects.filter(status=ChampionCommitment.Status.ACTIVE, review_date__gte=end)
    if programme is not None:
        current = current.filter(Q(programme=programme) | Q(programme__isnull=True))
    counts = current.aggregate(
        leaders=Count("leader", distinct=True),
        for_programme=Count("leader", distinct=True, filter=Q(programme__isnull=False)),
    )
    return Champions(
        commitments=disclosure.protect_count(counts["leaders"], rule=rule),
        for_programme=disclosure.protect_count(counts["for_programme"], rule=rule) if programme else None,
    )


def recruitment(programme, *, start: date, end: date, rule) -> Recruitment:
    snapshots = EqualitySnapshot.objects.filter(
        _scope(programme, "opportunity__project__programme"), taken_at__date__gte=start, taken_at__date__lte=end
    )
    counts = snapshots.aggregate(applied=Count("pk"), selected=Count("pk", filter=Q(selected=True)))
    report = reach_report(snapshots)
    return Recruitment(
        applied=disclosure.protect_count(counts["applied"], rule=rule),
        selected=disclosure.protect_count(counts["selected"], rule=rule),
        reach_tables=[t for t in report.tables if t.characteristic in REACH_CHARACTERISTICS],
        area=report.area,
    )


def rewards(programme, *, start: date, end: date, rule) -> Rewards:
    lines = Reward.objects.filter(_scope(programme, "log__project__programme"), date__gte=start, date__lte=end)
    totals = lines.aggregate(
        people=Count("member", distinct=True),
        minutes=Coalesce(Sum("minutes"), 0),
        amount=Coalesce(Sum("amount"), Decimal("0")),
    )
    expenses = ExpenseItem.objects.filter(
        _scope(programme, "claim__project__programme"),
        status=ExpenseItem.Status.APPROVED,
        date__gte=start,
        date__lte=end,
    ).aggregate(amount=Coalesce(Sum("amount"), Decimal("0")))
    people = disclosure.protect_count(totals["people"], rule=rule)
    hidden = people.suppressed
    return Rewards(
        people=people,
        hours=None if hidden else (Decimal(totals["minutes"]) / 60).quantize(Decimal("0.1")),
        rewards_spend=None if hidden else totals["amount"],
        expenses_spend=None if hidden else expenses["amount"],
    )


def plans(programme, *, end: date) -> Plans:
    projects = Project.objects.filter(_scope(programme, "programme"), start_date__lte=end).exclude(
        status=Project.Status.CANCELLED
    )
    live_points = InvolvementPoint.objects.filter(_scope(programme, "project__programme")).exclude(
        status=InvolvementPoint.Status.CANCELLED
    )
    counts = projects.aggregate(
        total=Count("pk"),
        with_plan=Count("pk", filter=Q(Exists(live_points.filter(project=OuterRef("pk"))))),
        early=Count("pk", filter=Q(Exists(live_points.filter(project=OuterRef("pk"), stage__in=EARLY_STAGES)))),
    )
    planned = dict(live_points.values_list("ladder_level").annotate(n=Count("pk")).order_by())
    ratings = LadderRating.objects.filter(
        _scope(programme, "involvement_point__project__programme"),
        involvement_point__status=InvolvementPoint.Status.HAPPENED,
    )
    rated = dict(ratings.values_list("level").annotate(n=Count("pk")).order_by())
    happened = live_points.filter(status=InvolvementPoint.Status.HAPPENED)
    averages = (
        happened.annotate(achieved=Avg("ratings__level"))
        .filter(achieved__isnull=False)
        .aggregate(intended=Avg("ladder_level"), reached=Avg("achieved"))
    )
    rows = [
        {
            "level": level.label,
            "value": level.value,
            "planned": planned.get(level.value, 0),
            "rated": rated.get(level.value, 0),
        }
        for level in LadderLevel
    ]
    return Plans(
        projects=counts["total"],
        with_plan=counts["with_plan"],
        early=counts["early"],
        ladder_rows=rows,
        ladder_max=max([row["planned"] for row in rows] + [row["rated"] for row in rows] + [0]),
        intended_average=averages["intended"],
        achieved_average=averages["reached"],
    )


def _coverage(people_filter: Q, courses, *, end: date, rule) -> TrainingCoverage:
    required = courses.count()
    current = (
        TrainingRecord.objects.filter(course__in=courses, person=OuterRef("pk"), completed_on__lte=end)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=end))
        .order_by()
        .values("person")
        .annotate(n=Count("course", distinct=True))
        .values("n")
    )
    totals = (
        get_user_model()
        .objects.filter(people_filter)
        .annotate(current=Coalesce(Subquery(current), 0))
        .aggregate(people=Count("pk"), covered=Count("pk", filter=Q(current__gte=required)))
    )
    covered = totals["covered"] if required else totals["people"]
    return TrainingCoverage(
        required_courses=required,
        people=disclosure.protect_count(totals["people"], rule=rule),
        current=disclosure.protect_count(covered, rule=rule),
    )


def training(programme, *, end: date, rule) -> Training:
    on_team = TeamMembership.objects.filter(_scope(programme, "programme"), user=OuterRef("pk"))
    taking_part = Participant.objects.filter(
        _scope(programme, "project__programme"), member=OuterRef("pk"), status=Participant.Status.ACTIVE
    )
    return Training(
        staff=_coverage(Q(Exists(on_team)), Course.objects.required_for_programme_staff(), end=end, rule=rule),
        members=_coverage(Q(Exists(taking_part)), Course.objects.required_for_members(), end=end, rule=rule),
    )


def you_said(programme, *, start: date, end: date) -> YouSaidFigures:
    items = YouSaid.objects.filter(_scope(programme, "programme"), said_on__gte=start, said_on__lte=end)
    counts = items.aggregate(
        said=Count("pk"),
        answered=Count("pk", filter=Q(action__isnull=False)),
        done=Count("pk", filter=Q(action__status=WeDid.Status.DONE)),
        not_possible=Count("pk", filter=Q(action__status=WeDid.Status.NOT_POSSIBLE)),
    )
    answered = counts["answered"]
    # The middle one (or two) of the answered items by days taken: always one query, so the
    # number of queries never depends on the data.
    middle = list(
        items.filter(action__isnull=False)
        .order_by("days_to_answer")
        .values_list("days_to_answer", flat=True)[max(0, (answered - 1) // 2) : answered // 2 + 1]
    )
    median = sum(middle) / len(middle) if middle else None
    by_theme = dict(items.values_list("theme").annotate(n=Count("pk")).order_by())
    themes = [{"theme": t.value, "label": t.label, "count": by_theme.get(t.value, 0)} for t in Theme]
    return YouSaidFigures(
        said=counts["said"],
        answered=answered,
        done=counts["done"],
        not_possible=counts["not_possible"],
        median_days=median,
        themes=themes,
        themes_max=max((t["count"] for t in themes), default=0),
    )


def seven_steps(*, programme=None, start: date, end: date) -> SevenSteps:
    rule = disclosure.Rule.from_settings()
    return SevenSteps(
        start=start,
        end=end,
        programme=programme,
        champions=champions(programme, end=end, rule=rule),
        recruitment=recruitment(programme, start=start, end=end, rule=rule),
        reward=rewards(programme, start=start, end=end, rule=rule),
        plans=plans(programme, end=end),
        training=training(programme, end=end, rule=rule),
        you_said=you_said(programme, start=start, end=end),
    )


def seven_steps_for_review(*, programme=None, start: date, end: date) -> tuple[SevenSteps, datetime]:
    """The review page's figures and when they were worked out.

    Working them out reads every reward, application and training record of the programme for the
    period (about a tenth of a second for a large programme), so the page keeps them for
    REVIEW_FIGURES_SECONDS and says when they were worked out. Reports always work them out afresh.
    """
    seconds = settings.REVIEW_FIGURES_SECONDS
    key = f"seven-steps:{programme.pk if programme else 'all'}:{start}:{end}"
    found = cache.get(key) if seconds else None
    if found is None:
        found = (seven_steps(programme=programme, start=start, end=end), timezone.now())
        if seconds:
            cache.set(key, found, seconds)
    return found


def changes(before: dict, now: dict) -> list[dict]:
    """Each headline figure then and now, as shown. Differences are not worked out from true
    counts (that could reveal a small number): people read the two shown figures side by side."""
    labels = headline_labels()
    return [
        {"label": labels[key], "before": before.get(key, "–"), "now": value, "changed": before.get(key) != value}
        for key, value in now.items()
        if key in labels
    ]


# The self-assessment's trend ----------------------------------------------------------------------
def self_assessment_trend(programme, *, limit: int = 8) -> dict:
    """The programme's last `limit` self-assessments, oldest first, each with its seven scores.
    Two queries."""
    from reporting.models import SelfAssessment, Step

    assessments = list(
        SelfAssessment.objects.filter(programme=programme)
        .select_related("assessed_by")
        .prefetch_related("scores")
        .order_by("-assessed_on")[:limit]
    )
    assessments.reverse()
    rows = []
    for assessment in assessments:
        by_step = {score.step: score for score in assessment.scores.all()}
        rows.append({"assessment": assessment, "scores": [by_step.get(step.value) for step in Step]})
    steps = []
    for index, step in enumerate(Step):
        series = [row["scores"][index].score if row["scores"][index] else None for row in rows]
        latest = rows[-1]["scores"][index] if rows else None
        steps.append({"step": step, "series": series, "latest": latest})
    return {"rows": rows, "steps": steps, "latest": assessments[-1] if assessments else None}


def latest_scores_by_programme(programmes) -> list[dict]:
    """For the system review: each programme's latest self-assessment scores. Three queries."""
    from django.db.models import Max

    from reporting.models import Step, StepScore

    programmes = list(programmes.annotate(latest=Max("self_assessments__assessed_on")).order_by("name"))
    wanted = Q()
    for programme in programmes:
        if programme.latest:
            wanted |= Q(assessment__programme=programme, assessment__assessed_on=programme.latest)
    scores = {}
    if wanted:
        for score in StepScore.objects.filter(wanted).select_related("assessment"):
            scores[(score.assessment.programme_id, score.step)] = score.score
    return [
        {"programme": p, "assessed_on": p.latest, "scores": [scores.get((p.pk, step.value)) for step in Step]}
        for p in programmes
    ]
