"""Courses, training sessions, bookings and training records (step 6: train and develop staff and people).

How things move (services in people/training.py do every step):

    booking   BOOKED | WAITING -> CANCELLED       the person cancels (a freed place goes to the
                                                  first person waiting, who is emailed)
              WAITING -> BOOKED                   a place comes free
              BOOKED -> ATTENDED | DID_NOT_ATTEND  the organiser marks attendance (and can correct it)
    record    made when attendance is marked, when staff import past completions, or when a person
              adds a course they completed with a certificate. Its expiry is worked out from the
              course's validity when it is recorded, and kept, so a later change to the course does
              not rewrite what people were told.

A person holds at most one record per course per completion date, so importing the same file twice,
or marking attendance twice, adds nothing.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel

__all__ = ["Course", "TrainingBooking", "TrainingRecord", "TrainingSession"]

# People are emailed this many days before a record expires; the same window is "expiring soon".
EXPIRY_WARNING_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class CourseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_audience(self, *, member: bool, staff_side: bool):
        """The courses offered to someone who is a member and/or works for the system."""
        audiences = []
        if member:
            audiences += [Course.Audience.MEMBERS, Course.Audience.BOTH]
        if staff_side:
            audiences += [Course.Audience.STAFF, Course.Audience.BOTH]
        return self.filter(audience__in=set(audiences))

    def required_for_programme_staff(self):
        return self.active().filter(required_for=Course.RequiredFor.PROGRAMME_STAFF)

    def required_for_members(self):
        return self.active().filter(required_for=Course.RequiredFor.MEMBERS)


class Course(PortalModel):
    class Audience(models.TextChoices):
        STAFF = "staff", _("Staff")
        MEMBERS = "members", _("Members")
        BOTH = "both", _("Staff and members")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online, at a set time")
        E_LEARNING = "e_learning", _("E-learning, at any time")

    class RequiredFor(models.TextChoices):
        NONE = "none", _("Nobody: it is optional")
        PROGRAMME_STAFF = "programme_staff", _("Everyone on a programme team")
        MEMBERS = "members", _("All members")

    code = models.CharField(
        _("course code"),
        max_length=30,
        unique=True,
        help_text=_("A short reference used when importing records, for example COP-ESS."),
    )
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(
        _("what the course is about"), help_text=_("In plain English: what people will learn and why it matters.")
    )
    audience = models.CharField(_("who it is for"), max_length=10, choices=Audience.choices)
    format = models.CharField(_("how it is taught"), max_length=12, choices=Format.choices)
    length = models.CharField(_("how long it takes"), max_length=100, help_text=_("For example, 3 hours."))
    valid_for_months = models.PositiveSmallIntegerField(
        _("months it stays valid"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it never needs to be done again."),
    )
    provider = models.CharField(_("who runs it"), max_length=200)
    web_address = models.URLField(
        _("web address"), blank=True, help_text=_("Where to do it online, for e-learning. Optional.")
    )
    required_for = models.CharField(
        _("who must do it"), max_length=20, choices=RequiredFor.choices, default=RequiredFor.NONE
    )
    is_active = models.BooleanField(
        _("offered now"), default=True, help_text=_("Courses no longer offered stay on people's records.")
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="course_code_unique_ignoring_case",
                violation_error_message=_("Another course already has this code."),
            ),
            models.UniqueConstraint(
                Lower("title"),
                name="course_title_unique_ignoring_case",
                violation_error_message=_("Another course already has this title."),
            ),
            models.CheckConstraint(
                condition=Q(valid_for_months__isnull=True) | Q(valid_for_months__gte=1),
                name="course_valid_for_at_least_a_month",
            ),
            # A required course must be offered to the people it is required for.
            models.CheckConstraint(
                condition=~Q(required_for="programme_staff", audience="members")
                & ~Q(required_for="members", audience="staff"),
                name="course_required_for_its_audience",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.required_for == self.RequiredFor.PROGRAMME_STAFF and self.audience == self.Audience.MEMBERS:
            raise ValidationError({"required_for": _("A course for members only cannot be required for staff.")})
        if self.required_for == self.RequiredFor.MEMBERS and self.audience == self.Audience.STAFF:
            raise ValidationError({"required_for": _("A course for staff only cannot be required for members.")})

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        """The last day a completion on `completed_on` counts, or None when it never expires."""
        if not self.valid_for_months:
            return None
        return add_months(completed_on, self.valid_for_months) - datetime.timedelta(days=1)

    @property
    def validity_label(self) -> str:
        if not self.valid_for_months:
            return str(_("Never expires"))
        if self.valid_for_months % 12 == 0:
            years = self.valid_for_months // 12
            return str(_("1 year") if years == 1 else _("%(count)d years") % {"count": years})
        months = self.valid_for_months
        return str(_("1 month") if months == 1 else _("%(count)d months") % {"count": months})

    @property
    def is_required(self) -> bool:
        return self.required_for != self.RequiredFor.NONE

    @property
    def needs_a_session(self) -> bool:
        return self.format != self.Format.E_LEARNING


class TrainingSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now())


class TrainingSession(PortalModel):
    """One time a course runs: when, where (or the joining link) and how many places."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("The address, if it is in person."))
    joining_link = models.URLField(_("joining link"), blank=True, help_text=_("The link to join, if it is online."))
    places = models.PositiveSmallIntegerField(_("number of places"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_training_sessions",
        help_text=_("The member of staff who runs the session and marks attendance."),
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="training_session_has_places"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_session_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.course} on {timezone.localtime(self.starts_at):%d %B %Y}"

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class TrainingBookingQuerySet(models.QuerySet):
    def holding_a_place(self):
        return self.filter(status=TrainingBooking.Status.BOOKED)

    def waiting(self):
        return self.filter(status=TrainingBooking.Status.WAITING).order_by("queued_at", "pk")

    def live(self):
        """Bookings that still count: a place, a place on the waiting list, or attendance."""
        return self.exclude(status=TrainingBooking.Status.CANCELLED)


class TrainingBooking(PortalModel):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_bookings")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    queued_at = models.DateTimeField(default=timezone.now, help_text="When they asked: the waiting list's order.")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingBookingQuerySet.as_manager()

    class Meta:
        ordering = ["session", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_training_booking_per_person_per_session")
        ]

    def __str__(self):
        return f"{self.person} – {self.session} ({self.get_status_display()})"

    @property
    def can_cancel(self) -> bool:
        return self.status in {self.Status.BOOKED, self.Status.WAITING} and not self.session.has_started

    @property
    def status_tag(self) -> str:
        return {
            self.Status.BOOKED: "nhsuk-tag--green",
            self.Status.WAITING: "nhsuk-tag--yellow",
            self.Status.CANCELLED: "nhsuk-tag--grey",
            self.Status.ATTENDED: "nhsuk-tag--blue",
            self.Status.DID_NOT_ATTEND: "nhsuk-tag--red",
        }[self.status]


class TrainingRecordQuerySet(models.QuerySet):
    def current(self, today=None):
        """Records still in date today (or that never expire)."""
        today = today or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


class TrainingRecord(PortalModel):
    class Evidence(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance marked by staff")
        CERTIFICATE = "certificate", _("Certificate")
        IMPORTED = "imported", _("Imported from earlier records")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    completed_on = models.DateField(_("date completed"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=12, choices=Evidence.choices)
    # The certificate lives in private storage (see people/training.py), never at a public URL.
    certificate_file = models.CharField(max_length=200, blank=True)
    certificate_name = models.CharField(_("file name"), max_length=200, blank=True)
    certificate_content_type = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was sent, so the daily job never sends the same email twice.
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    lapse_notice_sent_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="one_training_record_per_course_per_day"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("completed_on")),
                name="training_record_expires_after_completion",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.course} ({self.completed_on:%Y-%m-%d})"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is None or self.expires_on >= today

    def expires_soon(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.is_current(today)
            and self.expires_on is not None
            and (self.expires_on - today).days <= EXPIRY_WARNING_DAYS
        )

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_file)

    @property
    def status_label(self) -> str:
        if not self.is_current():
            return str(_("Expired"))
        if self.expires_soon():
            return str(_("Expires soon"))
        return str(_("Current"))

    @property
    def status_tag(self) -> str:
        if not self.is_current():
            return "nhsuk-tag--red"
        if self.expires_soon():
            return "nhsuk-tag--orange"
        return "nhsuk-tag--green"
