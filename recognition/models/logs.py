"""Involvement logs: time a participant gave, confirmed by staff. Two-sided: the member logs it, or
staff record attendance at an involvement point for everyone present."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel
from programmes.models import InvolvementPoint, Project
from recognition.money import hours

MAX_MINUTES_A_DAY = 24 * 60


class RewardChoice(models.TextChoices):
    """How a person wants to be thanked. The values match people.models.PaymentPreference."""

    PAYMENT = "payment", _("Payment – money paid to me through payroll")
    VOUCHER = "voucher", _("A voucher")
    NO_PAYMENT = "no_payment", _("No payment – I will take part without being paid")


class Activity(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    PREPARATION = "preparation", _("Reading and preparation")
    INTERVIEW_PANEL = "interview_panel", _("Interview panel")
    TRAINING_DELIVERED = "training_delivered", _("Training I delivered")
    OTHER = "other", _("Something else")


class InvolvementLogQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[InvolvementLog.Status.WAITING, InvolvementLog.Status.QUERIED])

    def confirmed(self):
        return self.filter(status=InvolvementLog.Status.CONFIRMED)

    def waiting_for(self, user):
        """Logs waiting for a decision by staff on the programme team of their project."""
        # A subquery rather than joins, so the database can walk the waiting logs in date order and
        # stop at the first page instead of sorting every waiting log of every programme.
        their_projects = Project.objects.filter(programme__team_memberships__user=user).values("pk")
        return self.filter(status=InvolvementLog.Status.WAITING, project__in=their_projects).exclude(member=user)

    def likely_duplicates(self, *, member, project, date, point=None, exclude=None):
        """Logs that look like the same time logged twice: same person, project and day (and the same
        involvement point, when one is given). Rejected logs do not count."""
        found = self.filter(member=member, project=project, date=date).exclude(status=InvolvementLog.Status.REJECTED)
        if point is not None:
            found = found.filter(Q(involvement_point=point) | Q(involvement_point__isnull=True))
        if exclude is not None and exclude.pk:
            found = found.exclude(pk=exclude.pk)
        return found


class InvolvementLog(PortalModel):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for staff to confirm")
        QUERIED = "queried", _("Staff have a question")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    class Source(models.TextChoices):
        MEMBER = "member", _("Logged by the member")
        ATTENDANCE = "attendance", _("Attendance recorded by staff")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvement_logs")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="involvement_logs")
    involvement_point = models.ForeignKey(
        InvolvementPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="involvement_logs"
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"))
    note = models.TextField(_("note"), blank=True)
    # How the person wanted to be thanked when they logged it: the reward follows this choice.
    choice = models.CharField(_("how they want to be thanked"), max_length=12, choices=RewardChoice.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MEMBER)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = InvolvementLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_MINUTES_A_DAY), name="log_time_within_a_day"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["queried", "rejected"]) | ~Q(decision_reason=""),
                name="log_query_or_rejection_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "date"]),
            # The approvals queue counts waiting logs per project, leaving out the person's own, from
            # the index alone; and walks the oldest waiting logs in date order without sorting them all.
            models.Index(fields=["status", "project", "member"], name="log_status_project_member"),
            models.Index(fields=["status", "date", "created_at"], name="log_status_date"),
        ]

    def __str__(self):
        return f"{self.get_activity_display()} on {self.date:%-d %b %Y} ({self.hours} hours)"

    @property
    def hours(self):
        return hours(self.minutes)

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.WAITING, self.Status.QUERIED}

    @property
    def status_colour(self) -> str:
        return {"waiting": "blue", "queried": "orange", "confirmed": "green", "rejected": "red"}[self.status]
