"""Opportunities, applications, fair selection and reach (step 2: open and fair recruitment).

How things move (services in people/services_opportunities.py do every step):

    opportunity  DRAFT -> OPEN               staff publish it (closing date still ahead)
                 OPEN -> CLOSED              at the closing date (beat), or staff close it early
                 OPEN | CLOSED -> FILLED     staff say every place is filled
    application  SUBMITTED -> WITHDRAWN      the applicant, while no decision is final
                 SUBMITTED -> SHORTLISTED | NOT_SHORTLISTED
                 SHORTLISTED | SUBMITTED -> SELECTED | NOT_SELECTED | WAITING_LIST
                 WAITING_LIST -> SELECTED | NOT_SELECTED
                 WITHDRAWN -> SUBMITTED      the applicant applies again while it is open

Every decision keeps a row in ApplicationDecision (who, when, the outcome and the reason against
the published criteria). At apply time the applicant's equality answers are copied into an
EqualitySnapshot, so reach reports count people as they were when they applied.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel

__all__ = [
    "Application",
    "ApplicationAnswer",
    "ApplicationDecision",
    "EqualitySnapshot",
    "InvolvementLevel",
    "Opportunity",
    "OpportunityQuestion",
    "PopulationFigure",
]


class InvolvementLevel(models.IntegerChoices):
    """NHS England's levels of involvement, which set what people are offered and paid."""

    OPEN_ACCESS = 1, _("Level 1: open-access engagement, such as a survey or public event")
    ONE_OFF = 2, _("Level 2: a one-off workshop or focus group")
    WORKING_GROUP = 3, _("Level 3: a regular working group")
    STRATEGIC = 4, _("Level 4: a senior strategic role")


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        """Everything the public may read: open, closed and filled (never drafts)."""
        return self.exclude(status=Opportunity.Status.DRAFT)

    def open(self):
        return self.filter(status=Opportunity.Status.OPEN, closing_date__gte=timezone.localdate())

    def past_closing_date(self, today=None):
        return self.filter(status=Opportunity.Status.OPEN, closing_date__lt=today or timezone.localdate())

    def for_user(self, user):
        """The opportunities staff may manage: those of projects on their programmes."""
        from programmes.models import Project

        return self.filter(project__in=Project.objects.for_user(user))


class Opportunity(PortalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In person and online")

    project = models.ForeignKey("programmes.Project", on_delete=models.PROTECT, related_name="opportunities")
    title = models.CharField(_("title"), max_length=200)
    what_you_will_do = models.TextField(_("what you will do"))
    time_commitment = models.CharField(
        _("time needed"), max_length=300, help_text=_("For example, 2 hours a month for 6 months.")
    )
    format = models.CharField(_("where it happens"), max_length=10, choices=Format.choices)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("The address or area, if any of it is in person.")
    )
    involvement_level = models.PositiveSmallIntegerField(_("level of involvement"), choices=InvolvementLevel.choices)
    is_paid = models.BooleanField(_("paid"), default=False)
    payment_details = models.CharField(
        _("payment"), max_length=300, blank=True, help_text=_("For example, £25 for each 2-hour meeting.")
    )
    offers_travel_support = models.BooleanField(_("travel costs paid"), default=False)
    offers_access_support = models.BooleanField(_("access support"), default=False)
    offers_carer_support = models.BooleanField(_("carer costs paid"), default=False)
    support_details = models.TextField(_("more about the support we offer"), blank=True)
    selection_criteria = models.TextField(_("how we will choose people"))
    places = models.PositiveSmallIntegerField(_("number of places"))
    closing_date = models.DateField(_("closing date"))
    topics = models.ManyToManyField("people.LivedExperienceTag", blank=True, related_name="opportunities")
    easy_read = models.TextField(_("Easy Read version"), blank=True)
    blind_shortlisting = models.BooleanField(
        _("blind shortlisting"),
        default=True,
        help_text=_("Hide names and contact details from the people shortlisting until shortlisting is done."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    shortlisting_done_at = models.DateTimeField(null=True, blank=True)
    shortlisting_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closing_date", "title"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="opportunity_has_places"),
            models.CheckConstraint(
                condition=Q(involvement_level__gte=1, involvement_level__lte=4), name="opportunity_level_1_to_4"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_accepting_applications(self) -> bool:
        return self.status == self.Status.OPEN and self.closing_date >= timezone.localdate()

    @property
    def is_blind(self) -> bool:
        """Names and contact details are hidden from staff while this is true."""
        return self.blind_shortlisting and self.shortlisting_done_at is None

    @property
    def has_place(self) -> bool:
        return self.format in {self.Format.IN_PERSON, self.Format.BOTH}

    @property
    def support_offered(self) -> list[str]:
        offered = []
        if self.offers_travel_support:
            offered.append(_("We pay travel costs"))
        if self.offers_access_support:
            offered.append(_("Support with access needs, such as a BSL interpreter or large print"))
        if self.offers_carer_support:
            offered.append(_("We pay for a carer or for care while you take part"))
        return offered

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag colour for the status."""
        return {
            self.Status.DRAFT: "nhsuk-tag--grey",
            self.Status.OPEN: "nhsuk-tag--green",
            self.Status.CLOSED: "nhsuk-tag--orange",
            self.Status.FILLED: "nhsuk-tag--blue",
        }[self.status]

    @property
    def closes_soon(self) -> bool:
        return self.is_accepting_applications and (self.closing_date - timezone.localdate()).days <= CLOSING_SOON_DAYS


CLOSING_SOON_DAYS = 14


class OpportunityQuestion(models.Model):
    """A question applicants answer. Fixed once the opportunity is published."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class ApplicationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Application.Status.WITHDRAWN)


class Application(PortalModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WAITING_LIST = "waiting_list", _("On the waiting list")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    number = models.PositiveIntegerField(help_text="Applicant 1, 2, 3… within the opportunity: the blind reference.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    access_needs = models.TextField(
        _("support you need to take part in the selection process"),
        blank=True,
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "applicant"], name="one_application_per_opportunity"),
            models.UniqueConstraint(fields=["opportunity", "number"], name="one_applicant_number_per_opportunity"),
        ]

    def __str__(self):
        return f"{self.reference} for {self.opportunity}"

    @property
    def reference(self) -> str:
        return _("Applicant %(number)d") % {"number": self.number}

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE

    @property
    def outcome_is_final(self) -> bool:
        return self.status in {self.Status.NOT_SHORTLISTED, self.Status.SELECTED, self.Status.NOT_SELECTED}

    @property
    def status_tag(self) -> str:
        return {
            self.Status.SUBMITTED: "nhsuk-tag--blue",
            self.Status.WITHDRAWN: "nhsuk-tag--grey",
            self.Status.SHORTLISTED: "nhsuk-tag--aqua-green",
            self.Status.NOT_SHORTLISTED: "nhsuk-tag--grey",
            self.Status.SELECTED: "nhsuk-tag--green",
            self.Status.NOT_SELECTED: "nhsuk-tag--grey",
            self.Status.WAITING_LIST: "nhsuk-tag--yellow",
        }[self.status]


WITHDRAWABLE = {Application.Status.SUBMITTED, Application.Status.SHORTLISTED, Application.Status.WAITING_LIST}

# Which decisions may follow which state. Shortlisting decisions come first; selection decisions
# follow shortlisting (or come straight after receipt when nobody needs shortlisting).
SHORTLISTING_OUTCOMES = {Application.Status.SHORTLISTED, Application.Status.NOT_SHORTLISTED}
SELECTION_OUTCOMES = {Application.Status.SELECTED, Application.Status.NOT_SELECTED, Application.Status.WAITING_LIST}
DECISIONS_FROM = {
    Application.Status.SHORTLISTED: {Application.Status.SUBMITTED},
    Application.Status.NOT_SHORTLISTED: {Application.Status.SUBMITTED},
    Application.Status.SELECTED: {
        Application.Status.SUBMITTED,
        Application.Status.SHORTLISTED,
        Application.Status.WAITING_LIST,
    },
    Application.Status.NOT_SELECTED: {
        Application.Status.SUBMITTED,
        Application.Status.SHORTLISTED,
        Application.Status.WAITING_LIST,
    },
    Application.Status.WAITING_LIST: {Application.Status.SUBMITTED, Application.Status.SHORTLISTED},
}


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(OpportunityQuestion, null=True, on_delete=models.SET_NULL, related_name="answers")
    # The question as it was asked, kept with the answer.
    question_text = models.TextField()
    answer = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.question_text[:60]


class ApplicationDecision(models.Model):
    """The kept history of every decision on an application: outcome, reason, who and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Application.Status.choices)
    reason = models.TextField(_("reason, against the published criteria"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decision_has_a_reason")]

    def __str__(self):
        return f"{self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M}"


# The equality questions copied at apply time: the field names of people.EqualityMonitoring.
CHARACTERISTICS = [
    "age_band",
    "sex",
    "gender_same_as_birth",
    "sexual_orientation",
    "ethnicity",
    "disability",
    "religion",
    "carer",
    "postcode_district",
]


class EqualitySnapshot(models.Model):
    """An applicant's equality answers as they were when they applied. Read only as suppressed
    totals. Erasure detaches it from the application (and so from the person); the counts stay."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="equality_snapshots")
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="equality_snapshot"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    shortlisted = models.BooleanField(default=False)
    selected = models.BooleanField(default=False)
    # Empty means "not answered"; the explicit "prefer not to say" value is kept as given.
    age_band = models.CharField(max_length=40, blank=True)
    sex = models.CharField(max_length=40, blank=True)
    gender_same_as_birth = models.CharField(max_length=40, blank=True)
    sexual_orientation = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=60, blank=True)
    disability = models.CharField(max_length=40, blank=True)
    religion = models.CharField(max_length=40, blank=True)
    carer = models.CharField(max_length=40, blank=True)
    postcode_district = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Equality snapshot {self.pk}"


class PopulationFigure(models.Model):
    """The share of the area's population in one category of one characteristic (for example,
    ethnicity / asian: 7.4 % of Northbrook, Census 2021). Loaded by administrators from a CSV."""

    characteristic = models.CharField(_("characteristic"), max_length=40)
    category = models.CharField(_("category"), max_length=60)
    share = models.DecimalField(_("share of the population (%)"), max_digits=5, decimal_places=2)
    area_name = models.CharField(_("area"), max_length=120)
    source = models.CharField(_("source"), max_length=200)
    as_of = models.DateField(_("as of"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area_name", "characteristic", "category", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_name", "characteristic", "category", "as_of"], name="one_population_figure_per_date"
            ),
            models.CheckConstraint(condition=Q(share__gte=0, share__lte=100), name="population_share_is_a_percentage"),
        ]

    def __str__(self):
        return f"{self.area_name} {self.characteristic}/{self.category}: {self.share}%"
