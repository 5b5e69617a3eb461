"""Programmes, projects and their co-production plans; participants; champion commitments and sign-off.

Steps 1 (leaders champion it), 4 (co-production early in project design) and 5 (built into work
programmes) of the seven steps.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel


class PartnerOrganisation(PortalModel):
    class Kind(models.TextChoices):
        ICB = "icb", _("Integrated care board")
        NHS_TRUST = "nhs_trust", _("NHS trust")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        VCSE = "vcse", _("Voluntary, community or social enterprise organisation")
        OTHER = "other", _("Other partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("type of organisation"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active partner"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The programmes this person may see: administrators and leaders all; staff their own."""
        from coproduction.roles import Role

        if user.has_role(Role.ADMINISTRATOR) or user.has_role(Role.LEADER):
            return self
        if user.has_role(Role.STAFF):
            return self.filter(team_memberships__user=user)
        return self.none()


class Programme(PortalModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    partner = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("partner organisation"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("In plain English: what this programme is for."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, through="TeamMembership", related_name="programmes")

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must be on or after the start date.")})

    def has_team_member(self, user) -> bool:
        return self.team_memberships.filter(user=user).exists()


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Programme lead")
        MEMBER = "member", _("Team member")
        COPRODUCTION_LEAD = "coproduction_lead", _("Co-production lead")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="team_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(_("role on the programme"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "user__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="one_team_membership_per_person")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class Stage(models.TextChoices):
    """A project's stages, in order. Involvement before `develop` counts as early."""

    DISCOVER = "discover", _("Discover")
    DEFINE = "define", _("Define")
    DEVELOP = "develop", _("Develop")
    DELIVER = "deliver", _("Deliver")
    REVIEW = "review", _("Review")


STAGE_ORDER = {stage.value: index for index, stage in enumerate(Stage)}
EARLY_STAGES = [Stage.DISCOVER, Stage.DEFINE]


class LadderLevel(models.IntegerChoices):
    """The ladder of co-production, lowest rung first (Think Local Act Personal)."""

    COERCION = 1, _("Coercion")
    EDUCATING = 2, _("Educating")
    INFORMING = 3, _("Informing")
    CONSULTING = 4, _("Consulting")
    ENGAGING = 5, _("Engaging")
    CO_DESIGN = 6, _("Co-design")
    CO_PRODUCTION = 7, _("Co-production")


class InvolvementLevel(models.Model):
    """NHS England's four levels of involvement role; rate cards price each level. Kept as data
    so an administrator can reword or add levels without a code change."""

    number = models.PositiveSmallIntegerField(_("level"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Level {self.number}: {self.name}"


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(programme__in=Programme.objects.for_user(user))

    def with_counts(self):
        """Each project's live involvement points (`point_count`) and people taking part
        (`participant_count`). Each is counted in its own subquery: joining points and participants
        together would multiply every project's rows by both before counting."""

        def count_of(rows):
            return Coalesce(
                Subquery(
                    rows.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk")).values("n")
                ),
                0,
            )

        return self.annotate(
            point_count=count_of(InvolvementPoint.objects.exclude(status=InvolvementPoint.Status.CANCELLED)),
            participant_count=count_of(Participant.objects.taking_part()),
        )


class Project(PortalModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(
        _("purpose"), help_text=_("In plain English: what the project will change, and for whom.")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("project lead"), on_delete=models.PROTECT, related_name="led_projects"
    )
    stage = models.CharField(_("current stage"), max_length=10, choices=Stage.choices, default=Stage.DISCOVER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must be on or after the start date.")})

    def contains_date(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class InvolvementPoint(PortalModel):
    """A moment where people with lived experience shape a named decision, at a declared rung."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In person and online")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HAPPENED = "happened", _("Happened")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="involvement_points")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    title = models.CharField(_("title"), max_length=200)
    decision = models.TextField(
        _("decision people can genuinely influence"),
        help_text=_("The decision or output that people with lived experience will shape. Be specific."),
    )
    ladder_level = models.PositiveSmallIntegerField(
        _("level on the ladder of co-production"), choices=LadderLevel.choices
    )
    planned_date = models.DateField(_("planned date"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    involvement_level = models.ForeignKey(
        InvolvementLevel,
        verbose_name=_("involvement role level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Sets how people's time here is rewarded under the rate card."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancelled_reason = models.TextField(_("why it was cancelled"), blank=True)

    class Meta:
        ordering = ["planned_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ladder_level__gte=1, ladder_level__lte=7), name="ladder_level_on_the_ladder"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""), name="cancelled_point_has_a_reason"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.project_id and self.planned_date and not self.project.contains_date(self.planned_date):
            errors["planned_date"] = _("The planned date must fall within the project's dates.")
        if self.status == self.Status.CANCELLED and not self.cancelled_reason.strip():
            errors["cancelled_reason"] = _("Say why the involvement point was cancelled.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        """In the past but still marked planned: staff should say what happened."""
        return self.status == self.Status.PLANNED and self.planned_date < timezone.localdate()


class LadderRating(models.Model):
    """After a point has happened, a person who was there says which rung was actually reached."""

    class RaterKind(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARTICIPANT = "participant", _("Participant")

    involvement_point = models.ForeignKey(InvolvementPoint, on_delete=models.CASCADE, related_name="ratings")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ladder_ratings")
    rater_kind = models.CharField(max_length=12, choices=RaterKind.choices)
    level = models.PositiveSmallIntegerField(_("rung actually reached"), choices=LadderLevel.choices)
    comment = models.TextField(_("anything you want to add"), blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["involvement_point", "rated_by"], name="one_rating_per_person_per_point"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=7), name="rating_on_the_ladder"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} ({self.get_rater_kind_display()})"


class ParticipantQuerySet(models.QuerySet):
    def taking_part(self):
        return self.filter(status=Participant.Status.ACTIVE)


class Participant(PortalModel):
    """A member taking part in a project. Staff invite; the member accepts in the portal."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Taking part")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left the project")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message to the member"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    involvement_level = models.ForeignKey(
        InvolvementLevel,
        verbose_name=_("involvement role level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Their usual role level in this project, for time not at an involvement point."),
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["member__name"]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="one_participation_per_project")]

    def __str__(self):
        return f"{self.member} in {self.project}"


class ChampionCommitment(PortalModel):
    """A leader's public pledge to champion co-production, for one programme or the whole system."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        ACTIVE = "active", _("Current")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="champion_commitments")
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="champion_commitments",
        help_text=_("Leave empty for a commitment to the whole system."),
    )
    pledge = models.TextField(_("what I pledge to do"))
    review_date = models.DateField(_("review date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_message = models.TextField(_("why we are asking"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    reminder_sent_for = models.DateField(null=True, blank=True, help_text="Review date a reminder was sent for.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.leader}: {self.pledge[:60]}"

    @property
    def scope_label(self) -> str:
        return str(self.programme) if self.programme_id else _("The whole system")


class SignOffRequest(PortalModel):
    """Staff ask a named leader to approve a programme's co-production plan."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sign_off_requests")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_off_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("what you are asking the leader to approve"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Sign-off of {self.programme} by {self.leader}"


class LeaderDecision(models.Model):
    """The kept history of every step on a commitment or sign-off request: who, when, what, why."""

    class Action(models.TextChoices):
        MADE = "made", _("Made the commitment")
        REQUESTED = "requested", _("Asked")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed at the review date")
        RENEWED = "renewed", _("Renewed")

    commitment = models.ForeignKey(
        ChampionCommitment, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    sign_off_request = models.ForeignKey(
        SignOffRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commitment__isnull=False, sign_off_request__isnull=True)
                | Q(commitment__isnull=True, sign_off_request__isnull=False),
                name="decision_is_about_one_thing",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
