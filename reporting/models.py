"""Step 7, regular review moving to "We said, We did": what people told us, what we did about it,
scheduled reports on it, and each programme's seven-steps self-assessment.

How things move (services in reporting/services.py do every step):

    "You said"      raised by a member, or recorded by staff; answered when a "We did" is linked
    "We did"        PLANNED -> IN_PROGRESS -> DONE | NOT_POSSIBLE  (done needs an outcome; not
                    possible needs an honest reason). Several "You said" items can share one.
    report          PENDING -> BUILDING -> READY   (a worker claims it with a conditional UPDATE)
                    BUILDING -> PENDING            (the build failed: the beat job tries again)
                    READY: published or not; once published, on the public page

One report per (schedule, period start): a unique constraint, so however often the beat job or a
re-delivered task runs, a period gets one report, and its email goes once (`emailed_at` is set by
a conditional UPDATE in the transaction that queues the email).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel


class Theme(models.TextChoices):
    ACCESS = "access", _("Getting to services and access")
    COMMUNICATION = "communication", _("Communication and information")
    CARE = "care", _("Care and treatment")
    WAITING = "waiting", _("Waiting times")
    STAFF = "staff", _("How staff treat people")
    INVOLVEMENT = "involvement", _("How we involve people")
    OTHER = "other", _("Something else")


class YouSaidQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(action__isnull=True)

    def answered(self):
        return self.filter(action__isnull=False)


class YouSaid(PortalModel):
    """Something a person told us, about a programme or one of its projects."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Told us in the portal")
        INVOLVEMENT_POINT = "involvement_point", _("Said at an involvement point")
        OTHER = "other", _("Told staff another way")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="you_said")
    project = models.ForeignKey(
        "programmes.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="you_said"
    )
    involvement_point = models.ForeignKey(
        "programmes.InvolvementPoint", null=True, blank=True, on_delete=models.PROTECT, related_name="you_said"
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    text = models.TextField(_("what was said"))
    said_on = models.DateField(_("date it was said"))
    source = models.CharField(_("how it reached us"), max_length=20, choices=Source.choices)
    # Who said it. Empty when the person stays anonymous (or asked to be forgotten).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="you_said"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.ForeignKey("WeDid", null=True, blank=True, on_delete=models.PROTECT, related_name="you_said_items")
    answered_on = models.DateField(null=True, blank=True, help_text="When it was first linked to a 'We did'.")
    days_to_answer = models.PositiveIntegerField(null=True, blank=True)
    # What the member was told, so each message goes once.
    told_answered_at = models.DateTimeField(null=True, blank=True)
    told_outcome_at = models.DateTimeField(null=True, blank=True)

    objects = YouSaidQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-created_at"]
        verbose_name = "“You said” item"
        verbose_name_plural = "“You said” items"
        indexes = [models.Index(fields=["programme", "said_on"]), models.Index(fields=["member", "said_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) | Q(answered_on__isnull=False), name="answered_item_has_a_date"
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def about(self) -> str:
        return self.project.name if self.project_id else self.programme.name


class WeDidQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[WeDid.Status.PLANNED, WeDid.Status.IN_PROGRESS])

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class WeDid(PortalModel):
    """What we will do (and did) about one or more "You said" items."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_POSSIBLE = "not_possible", _("Not possible")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="we_did")
    action = models.TextField(_("what we will do"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="we_did_owned")
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("what happened"), blank=True)
    not_possible_reason = models.TextField(_("why we could not do it"), blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WeDidQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "created_at"]
        verbose_name = "“We did” action"
        verbose_name_plural = "“We did” actions"
        indexes = [models.Index(fields=["owner", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_possible") | ~Q(not_possible_reason=""),
                name="not_possible_has_an_honest_reason",
            ),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(outcome=""), name="done_has_an_outcome"),
        ]

    def __str__(self):
        return self.action[:60]

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.NOT_POSSIBLE}

    @property
    def is_overdue(self) -> bool:
        return not self.is_finished and self.due_date < timezone.localdate()

    @property
    def status_tag(self) -> str:
        return {
            self.Status.PLANNED: "nhsuk-tag--blue",
            self.Status.IN_PROGRESS: "nhsuk-tag--yellow",
            self.Status.DONE: "nhsuk-tag--green",
            self.Status.NOT_POSSIBLE: "nhsuk-tag--grey",
        }[self.status]

    @property
    def plain_outcome(self) -> str:
        """What a member reads: the outcome, or the honest reason, or what we will do."""
        if self.status == self.Status.NOT_POSSIBLE:
            return _("We could not do this, because: %(reason)s") % {"reason": self.not_possible_reason}
        if self.status == self.Status.DONE:
            return self.outcome
        return self.action


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter (3 months)")


class ReportSchedule(PortalModel):
    """When a "We said, We did" report is produced: for a programme, or (no programme) the whole system."""

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="report_schedules"
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    starts_on = models.DateField(_("first period starts"))
    is_active = models.BooleanField(_("running"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ReportSubscription", related_name="report_schedules", blank=True
    )

    class Meta:
        ordering = ["programme__name", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "frequency"],
                condition=Q(programme__isnull=False),
                name="one_schedule_per_programme_and_frequency",
            ),
            models.UniqueConstraint(
                fields=["frequency"], condition=Q(programme__isnull=True), name="one_system_schedule_per_frequency"
            ),
        ]

    def __str__(self):
        return f"{self.scope_label}: {self.get_frequency_display().lower()}"

    @property
    def scope_label(self) -> str:
        return self.programme.name if self.programme_id else str(_("The whole system"))


class ReportSubscription(models.Model):
    """A person who gets a schedule's reports by email. Staff-side people are told when a report is
    produced; members (who opt in themselves) when one is published."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "user"], name="one_subscription_per_person")]

    def __str__(self):
        return f"{self.user} → {self.schedule}"


class Report(PortalModel):
    """One produced report for a period: stored HTML, PDF and CSV, emailed once, publishable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be produced")
        BUILDING = "building", _("Being produced")
        READY = "ready", _("Ready")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ON_DEMAND = "on_demand", _("Produced on request")

    schedule = models.ForeignKey(
        ReportSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCHEDULED)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    # Files under MEDIA_ROOT/reports/, never at a public URL: served through checked views.
    html_file = models.CharField(max_length=200, blank=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    csv_file = models.CharField(max_length=200, blank=True)
    # The headline figures as shown (already protected), for "changes since the last report".
    figures = models.JSONField(default=dict, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    easy_read = models.TextField(_("Easy Read summary"), blank=True)
    published_email_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_start"], name="one_report_per_schedule_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(kind="on_demand") | Q(schedule__isnull=False), name="scheduled_report_has_a_schedule"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (Q(status="ready") & ~Q(easy_read="")),
                name="published_report_is_ready_with_easy_read",
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"]), models.Index(fields=["published_at"])]

    def __str__(self):
        return f"{self.scope_label}, {self.period_label}"

    @property
    def scope_label(self) -> str:
        return self.programme.name if self.programme_id else str(_("The whole system"))

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status_tag(self) -> str:
        if self.is_published:
            return "nhsuk-tag--green"
        return {"pending": "nhsuk-tag--grey", "building": "nhsuk-tag--yellow", "ready": "nhsuk-tag--blue"}[self.status]

    @property
    def status_label(self) -> str:
        return str(_("Published")) if self.is_published else self.get_status_display()


class Step(models.IntegerChoices):
    LEADERS = 1, _("1. Leaders champion it")
    RECRUITMENT = 2, _("2. Open and fair recruitment of a range of people")
    REWARD = 3, _("3. Reward and recognise people's input")
    EARLY = 4, _("4. Co-production early in project design")
    BUILT_IN = 5, _("5. Built into work programmes")
    TRAINING = 6, _("6. Train and develop staff and people")
    REVIEW = 7, _("7. Regular review, moving to “We said, We did”")


class Score(models.IntegerChoices):
    NOT_STARTED = 1, _("1 – Not started")
    EMERGING = 2, _("2 – Emerging")
    DEVELOPING = 3, _("3 – Developing")
    ESTABLISHED = 4, _("4 – Established")


class SelfAssessment(PortalModel):
    """A programme team's periodic score of itself against the seven steps, with evidence."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="self_assessments")
    assessed_on = models.DateField(_("date of the assessment"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["programme", "assessed_on"], name="one_self_assessment_per_day")]

    def __str__(self):
        return f"{self.programme} self-assessment, {self.assessed_on:%-d %B %Y}"


class StepScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    evidence = models.TextField(_("evidence"))

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "step"], name="one_score_per_step"),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=7), name="step_is_one_of_seven"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="score_is_1_to_4"),
        ]

    def __str__(self):
        return f"Step {self.step}: {self.score}"
