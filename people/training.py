"""Use cases for courses, training sessions, bookings and training records (step 6).

Each step is a function with keyword-only arguments and an explicit acting user. It writes the
change and an audit entry in one transaction and queues emails for after the commit. Bad input
raises ValidationError keyed by form field (views show it next to the field); a step that cannot be
taken now raises TrainingError with a plain-English message, and nothing is changed.

Booking is safe when many people book at once: the session row is locked (SELECT … FOR UPDATE)
while its places are counted, and one booking per person per session is a database constraint.

For the recognition page: `completed_course_count(user)` is how many different courses a person has
completed (any record, current or not).
"""

from __future__ import annotations

import csv
import datetime
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduction import audit, uploads
from coproduction.emails import queue_templated_email
from people import training_rules  # noqa: F401  (registers the permission rules)
from people.models.training import (
    EXPIRY_WARNING_DAYS,
    Course,
    TrainingBooking,
    TrainingRecord,
    TrainingSession,
)
from people.training_rules import audience_of, people_in_scope
from programmes.models import Participant, TeamMembership

Booking = TrainingBooking.Status


class TrainingError(Exception):
    """This step cannot be taken now. Nothing was changed; the message says why in plain words."""


class SessionFull(TrainingError):
    """Every place is taken: the person can join the waiting list instead."""


def _link(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def _long_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# Certificates -------------------------------------------------------------------------------------
# Checked by their first bytes ("magic numbers"), never by their name; stored under
# MEDIA_ROOT/private/, which no URL serves; read only through people:training_certificate.
DEFAULT_CERTIFICATE_MAX_BYTES = uploads.DEFAULT_MAX_BYTES


def certificate_max_bytes() -> int:
    return getattr(settings, "TRAINING_CERTIFICATE_MAX_BYTES", DEFAULT_CERTIFICATE_MAX_BYTES)


def certificate_storage() -> FileSystemStorage:
    return uploads.private_storage


def check_certificate(uploaded) -> str:
    """Validate an uploaded certificate; returns its real content type. Raises ValidationError."""
    return uploads.check_upload(uploaded, max_bytes=certificate_max_bytes())


def _store_certificate(uploaded, content_type: str) -> str:
    extension = uploads.EXTENSIONS[content_type]
    name = f"training-certificates/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    uploaded.seek(0)
    return certificate_storage().save(name, uploaded)


def _delete_certificate_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: certificate_storage().delete(name))


def open_certificate(record: TrainingRecord):
    return certificate_storage().open(record.certificate_file, "rb")


# Courses ------------------------------------------------------------------------------------------
@transaction.atomic
def save_course(*, course: Course, by, request=None) -> Course:
    creating = course.pk is None
    course.code = course.code.strip()
    course.title = course.title.strip()
    course.full_clean()
    course.save()
    audit.record(
        "training.course_added" if creating else "training.course_changed", actor=by, subject=course, request=request
    )
    return course


# Sessions -----------------------------------------------------------------------------------------
@transaction.atomic
def save_session(*, session: TrainingSession, by, request=None) -> TrainingSession:
    """Add or change a session. Fewer places than people already booked is refused; more places
    go straight to the people waiting."""
    creating = session.pk is None
    if creating and session.starts_at <= timezone.now():
        raise ValidationError({"starts_on": _("The session must start in the future")})
    if session.ends_at <= session.starts_at:
        raise ValidationError({"end_time": _("The end time must be after the start time")})
    course = session.course
    if course.format == Course.Format.IN_PERSON and not session.place.strip():
        raise ValidationError({"place": _("Enter the address where the session happens")})
    if course.format == Course.Format.ONLINE and not session.joining_link.strip():
        raise ValidationError({"joining_link": _("Enter the link people use to join")})
    if not creating:
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
        booked = session.bookings.holding_a_place().count()
        if session.places < booked:
            raise ValidationError(
                {
                    "places": _("%(count)d people are already booked. Offer at least %(count)d places.")
                    % {"count": booked}
                }
            )
    session.full_clean()
    session.save()
    audit.record(
        "training.session_added" if creating else "training.session_changed", actor=by, subject=session, request=request
    )
    if not creating:
        _fill_free_places(session)
    return session


# Booking ------------------------------------------------------------------------------------------
def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)


def _session_context(session) -> dict:
    return {
        "session": session,
        "course": session.course,
        "my_training_url": _link("people:my_training"),
        "course_url": _link("people:training_course_detail", session.course.public_id),
    }


@transaction.atomic
def book_place(*, session: TrainingSession, person, join_waiting_list: bool = False, request=None) -> TrainingBooking:
    """Book `person` a place, or a place on the waiting list when they asked for one and it is full.

    Raises SessionFull when every place is taken and they did not ask to wait; TrainingError when
    they already have a place (here or on another session of the course) or it cannot be booked.
    """
    session = _locked(session)
    course = session.course
    if not course.is_active:
        raise TrainingError(_("This course is no longer offered."))
    if session.has_started:
        raise TrainingError(_("This session has already started, so it can no longer be booked."))
    if not Course.objects.for_audience(**audience_of(person)).filter(pk=course.pk).exists():
        raise TrainingError(_("This course is not offered to you."))
    mine = TrainingBooking.objects.filter(person=person, status__in=[Booking.BOOKED, Booking.WAITING])
    existing = mine.filter(session=session).first()
    if existing is not None:
        if existing.status == Booking.WAITING:
            raise TrainingError(_("You are already on the waiting list for this session."))
        raise TrainingError(_("You already have a place on this session."))
    other = mine.filter(session__course=course, session__starts_at__gt=timezone.now()).select_related("session").first()
    if other is not None:
        raise TrainingError(
            _("You already have a place on this course on %(date)s. Cancel that booking first to change it.")
            % {"date": _long_date(other.session.day)}
        )
    full = session.bookings.holding_a_place().count() >= session.places
    if full and not join_waiting_list:
        raise SessionFull(_("This session is full. You can join the waiting list instead."))
    status = Booking.WAITING if full else Booking.BOOKED
    now = timezone.now()
    booking, created = TrainingBooking.objects.get_or_create(
        session=session, person=person, defaults={"status": status, "queued_at": now}
    )
    if not created:  # they cancelled before and are booking again
        booking.status, booking.queued_at, booking.cancelled_at = status, now, None
        booking.save(update_fields=["status", "queued_at", "cancelled_at", "updated_at"])
    audit.record(
        "training.place_booked" if status == Booking.BOOKED else "training.waiting_list_joined",
        actor=person,
        subject=booking,
        request=request,
    )
    queue_templated_email(
        "people/email/training_booked" if status == Booking.BOOKED else "people/email/training_waiting",
        to=person.email,
        context={**_session_context(session), "person": person},
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking: TrainingBooking, by, request=None) -> None:
    """Cancel a place (or a place on the waiting list). A freed place goes to the next person waiting."""
    session = _locked(booking.session)
    if session.has_started:
        raise TrainingError(_("This session has already started, so the booking can no longer be cancelled."))
    now = timezone.now()
    was = TrainingBooking.objects.filter(pk=booking.pk).values_list("status", flat=True).first()
    changed = TrainingBooking.objects.filter(pk=booking.pk, status__in=[Booking.BOOKED, Booking.WAITING]).update(
        status=Booking.CANCELLED, cancelled_at=now, updated_at=now
    )
    if not changed:
        raise TrainingError(_("This booking has already been cancelled."))
    booking.status, booking.cancelled_at = Booking.CANCELLED, now
    audit.record("training.booking_cancelled", actor=by, subject=booking, request=request)
    if was == Booking.BOOKED:
        _fill_free_places(session)


def _fill_free_places(session: TrainingSession) -> int:
    """Give free places to the people waiting longest, and email them. Call with the session locked."""
    free = session.places - session.bookings.holding_a_place().count()
    if free <= 0 or session.has_started:
        return 0
    promoted = list(session.bookings.waiting().select_related("person")[:free])
    now = timezone.now()
    for booking in promoted:
        TrainingBooking.objects.filter(pk=booking.pk, status=Booking.WAITING).update(
            status=Booking.BOOKED, updated_at=now
        )
        audit.record("training.place_offered", subject=booking)
        queue_templated_email(
            "people/email/training_place_offered",
            to=booking.person.email,
            context={**_session_context(session), "person": booking.person},
        )
    return len(promoted)


# Attendance ---------------------------------------------------------------------------------------
def attendance_list(session: TrainingSession) -> list[TrainingBooking]:
    """The people who can be marked: those with a place (and those already marked)."""
    return list(
        session.bookings.filter(status__in=[Booking.BOOKED, Booking.ATTENDED, Booking.DID_NOT_ATTEND])
        .select_related("person")
        .order_by("person__name", "person__email")
    )


@dataclass
class AttendanceResult:
    attended: int = 0
    absent: int = 0
    records_added: int = 0
    records_removed: int = 0


@transaction.atomic
def mark_attendance(*, session: TrainingSession, attended: set, by, request=None) -> AttendanceResult:
    """Mark everyone with a place at once: those in `attended` (booking public ids) attended and get
    a training record; the rest did not attend. Marking again corrects it (and removes records it
    made for people now marked absent)."""
    session = _locked(session)
    if not session.has_started:
        raise TrainingError(_("You can mark attendance once the session has started."))
    bookings = attendance_list(session)
    attended = {str(public_id) for public_id in attended}
    unknown = attended - {str(b.public_id) for b in bookings}
    if unknown:
        raise ValidationError({"attended": _("Select only people who have a place on this session")})
    came = [b for b in bookings if str(b.public_id) in attended]
    absent = [b for b in bookings if str(b.public_id) not in attended]
    now = timezone.now()
    TrainingBooking.objects.filter(pk__in=[b.pk for b in came]).update(status=Booking.ATTENDED, updated_at=now)
    TrainingBooking.objects.filter(pk__in=[b.pk for b in absent]).update(status=Booking.DID_NOT_ATTEND, updated_at=now)
    course, day = session.course, session.day
    already = set(
        TrainingRecord.objects.filter(
            course=course, completed_on=day, person__in=[b.person_id for b in came]
        ).values_list("person_id", flat=True)
    )
    new_records = [
        TrainingRecord(
            person_id=booking.person_id,
            course=course,
            session=session,
            completed_on=day,
            expires_on=course.expiry_for(day),
            evidence=TrainingRecord.Evidence.ATTENDANCE,
            recorded_by=by,
        )
        for booking in came
        if booking.person_id not in already
    ]
    TrainingRecord.objects.bulk_create(new_records)
    removed, _detail = TrainingRecord.objects.filter(
        session=session,
        evidence=TrainingRecord.Evidence.ATTENDANCE,
        person__in=[b.person_id for b in absent],
    ).delete()
    TrainingSession.objects.filter(pk=session.pk).update(
        attendance_marked_at=now, attendance_marked_by=by, updated_at=now
    )
    result = AttendanceResult(
        attended=len(came), absent=len(absent), records_added=len(new_records), records_removed=removed
    )
    audit.record(
        "training.attendance_marked",
        actor=by,
        subject=session,
        detail=f"attended={result.attended} absent={result.absent} "
        f"records_added={result.records_added} records_removed={result.records_removed}",
        request=request,
    )
    return result


# A person's own records ---------------------------------------------------------------------------
@transaction.atomic
def add_own_record(*, person, course: Course, completed_on: datetime.date, certificate, request=None) -> TrainingRecord:
    """A person records a course they completed, with its certificate as evidence."""
    content_type = check_certificate(certificate)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("Date completed must be today or in the past")})
    if TrainingRecord.objects.filter(person=person, course=course, completed_on=completed_on).exists():
        raise ValidationError({"completed_on": _("You already have a record of this course on this date")})
    stored = _store_certificate(certificate, content_type)
    try:
        record = TrainingRecord(
            person=person,
            course=course,
            completed_on=completed_on,
            expires_on=course.expiry_for(completed_on),
            evidence=TrainingRecord.Evidence.CERTIFICATE,
            certificate_file=stored,
            certificate_name=Path(certificate.name or "certificate").name[:200],
            certificate_content_type=content_type,
            recorded_by=person,
        )
        record.full_clean()
        record.save()
        audit.record(
            "training.record_added", actor=person, subject=record, detail="evidence=certificate", request=request
        )
    except Exception:
        # Nothing half-saved: the file goes with the record that was not saved.
        certificate_storage().delete(stored)
        raise
    return record


# Importing past completions -----------------------------------------------------------------------
IMPORT_COLUMNS = {
    "email": {"email", "email address", "e-mail"},
    "course": {"course", "course code", "course title", "code", "title", "course code or title"},
    "completed_on": {"completed on", "completion date", "date completed", "completed", "date"},
}
IMPORT_MAX_ROWS = 5000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class ImportReport:
    added: int = 0
    rows_read: int = 0
    # (line number, what was in the row, why it was skipped)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    problem: str = ""  # a problem with the whole file: nothing was read


def _header_key(name: str) -> str | None:
    cleaned = " ".join((name or "").strip().lower().replace("_", " ").split())
    for key, names in IMPORT_COLUMNS.items():
        if cleaned in names:
            return key
    return None


def _parse_day(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_completions(*, text: str, by, request=None) -> ImportReport:
    """Import past completions from CSV text: columns email, course (its code or title) and the
    completion date. Good rows land; every other row is reported with the reason and skipped.
    A completion already recorded is skipped too, so importing the same file twice adds nothing.

    Staff can record training only for people on their programmes; administrators for anyone.
    """
    report = ImportReport()
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        report.problem = _("The file is empty")
        return report
    header = [_header_key(name) for name in rows[0]]
    missing = [key for key in IMPORT_COLUMNS if key not in header]
    if missing:
        report.problem = _(
            "The first line must name the columns: email, course and completion date. Missing: %(columns)s"
        ) % {"columns": ", ".join(m.replace("_", " ") for m in missing)}
        return report
    if len(rows) - 1 > IMPORT_MAX_ROWS:
        report.problem = _("The file has more than %(count)d rows. Split it into smaller files.") % {
            "count": IMPORT_MAX_ROWS
        }
        return report
    position = {key: header.index(key) for key in IMPORT_COLUMNS}
    courses = {}
    for course in Course.objects.all():
        courses[course.code.strip().lower()] = course
        courses[course.title.strip().lower()] = course
    today = timezone.localdate()

    parsed = []  # (line, shown, email, course, day)
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        report.rows_read += 1
        shown = ", ".join(cell.strip() for cell in cells)[:200]
        if len(cells) != len(header):
            report.skipped.append(
                (
                    line,
                    shown,
                    _("This row has %(found)d columns, not %(expected)d")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        email, course_text, day_text = (cells[position[key]].strip() for key in IMPORT_COLUMNS)
        if not email or not course_text or not day_text:
            report.skipped.append(
                (line, shown, _("The email address, course and completion date must all be filled in"))
            )
            continue
        if "@" not in email:
            report.skipped.append((line, shown, _("“%(value)s” is not an email address") % {"value": email}))
            continue
        course = courses.get(course_text.lower())
        if course is None:
            report.skipped.append(
                (line, shown, _("No course has the code or title “%(value)s”") % {"value": course_text})
            )
            continue
        day = _parse_day(day_text)
        if day is None:
            report.skipped.append(
                (
                    line,
                    shown,
                    _("“%(value)s” is not a real date. Write dates like 2025-03-21 or 21/03/2025")
                    % {"value": day_text},
                )
            )
            continue
        if day > today:
            report.skipped.append((line, shown, _("The completion date is in the future")))
            continue
        parsed.append((line, shown, email.lower(), course, day))

    emails = {email for _line, _shown, email, _course, _day in parsed}
    people = {
        person.email_lower: person
        for person in people_in_scope(by)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails, is_active=True)
    }
    found = [(line, shown, people.get(email), course, day, email) for line, shown, email, course, day in parsed]
    candidates = {(p.pk, c.pk, d) for _l, _s, p, c, d, _e in found if p is not None}
    existing = set()
    if candidates:
        existing = set(
            TrainingRecord.objects.filter(
                person__in={p for p, _c, _d in candidates}, course__in={c for _p, c, _d in candidates}
            ).values_list("person_id", "course_id", "completed_on")
        )
    seen: dict[tuple, int] = {}
    new_records = []
    for line, shown, person, course, day, email in found:
        if person is None:
            report.skipped.append(
                (
                    line,
                    shown,
                    _("No one you can record training for has the email address %(email)s") % {"email": email},
                )
            )
            continue
        key = (person.pk, course.pk, day)
        if key in seen:
            report.skipped.append((line, shown, _("This is the same as line %(line)d") % {"line": seen[key]}))
            continue
        seen[key] = line
        if key in existing:
            report.skipped.append((line, shown, _("Already recorded")))
            continue
        new_records.append(
            TrainingRecord(
                person=person,
                course=course,
                completed_on=day,
                expires_on=course.expiry_for(day),
                evidence=TrainingRecord.Evidence.IMPORTED,
                recorded_by=by,
            )
        )
    # ignore_conflicts: someone recording the same completion at this moment wins; this skips it.
    TrainingRecord.objects.bulk_create(new_records, ignore_conflicts=True)
    report.added = len(new_records)
    report.skipped.sort()
    audit.record(
        "training.records_imported",
        actor=by,
        detail=f"rows={report.rows_read} added={report.added} skipped={len(report.skipped)}",
        request=request,
    )
    return report


# What is due --------------------------------------------------------------------------------------
def required_courses_for(person):
    """The courses this person must keep current: those for programme staff if they are on a
    programme team; those for all members if they are a member."""
    from coproduction.roles import Role

    wanted = []
    if TeamMembership.objects.filter(user=person).exists():
        wanted.append(Course.RequiredFor.PROGRAMME_STAFF)
    if person.has_role(Role.MEMBER):
        wanted.append(Course.RequiredFor.MEMBERS)
    if not wanted:
        return Course.objects.none()
    return Course.objects.active().filter(required_for__in=wanted)


def training_overview(person, *, today=None) -> dict:
    """Everything "My training" shows: completed, booked, due and expiring. A fixed number of queries."""
    today = today or timezone.localdate()
    records = list(
        TrainingRecord.objects.filter(person=person).select_related("course").order_by("-completed_on", "-pk")
    )
    best: dict[int, TrainingRecord] = {}  # per course, the record that lasts longest
    for record in records:
        held = best.get(record.course_id)
        if held is None or _lasts_longer(record, held):
            best[record.course_id] = record
    bookings = list(
        TrainingBooking.objects.filter(
            person=person, status__in=[Booking.BOOKED, Booking.WAITING], session__starts_at__gt=timezone.now()
        )
        .select_related("session__course")
        .order_by("session__starts_at")
    )
    booked_courses = {b.session.course_id: b for b in bookings}
    due = []
    for course in required_courses_for(person).order_by("title"):
        record = best.get(course.pk)
        if record is None or not record.is_current(today):
            due.append({"course": course, "last_record": record, "booking": booked_courses.get(course.pk)})
    expiring = sorted((r for r in best.values() if r.expires_soon(today)), key=lambda r: (r.expires_on, r.course.title))
    return {
        "records": records,
        "bookings": bookings,
        "due": due,
        "expiring": expiring,
        "today": today,
    }


def _lasts_longer(record: TrainingRecord, other: TrainingRecord) -> bool:
    if record.expires_on is None or other.expires_on is None:
        return record.expires_on is None and other.expires_on is not None
    return record.expires_on > other.expires_on


def completed_course_count(user) -> int:
    """How many different courses this person has completed (any record, in date or not).
    For the recognition page's "courses completed" milestone."""
    return TrainingRecord.objects.filter(person=user).values("course").distinct().count()


# Programme coverage -------------------------------------------------------------------------------
def coverage(programme, *, today=None) -> dict:
    """The share of the programme's team whose required training is all current, and each required
    course's figures. Computed in SQL: a fixed number of queries whatever the team's size."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    required = Course.objects.required_for_programme_staff()
    required_count = required.count()
    current = TrainingRecord.objects.current(today).filter(course__in=required)
    courses_current = (
        current.filter(person=OuterRef("user_id"))
        .order_by()
        .values("person")
        .annotate(n=Count("course", distinct=True))
        .values("n")
    )
    totals = (
        TeamMembership.objects.filter(programme=programme)
        .annotate(courses_current=Coalesce(Subquery(courses_current), 0))
        .aggregate(team=Count("pk"), covered=Count("pk", filter=Q(courses_current__gte=required_count)))
    )
    on_team = Q(records__person__team_memberships__programme=programme)
    in_date = Q(records__expires_on__isnull=True) | Q(records__expires_on__gte=today)
    lasting = Q(records__expires_on__isnull=True) | Q(records__expires_on__gt=soon)
    courses = list(
        required.annotate(
            current=Count("records__person", filter=on_team & in_date, distinct=True),
            lasting=Count("records__person", filter=on_team & lasting, distinct=True),
        ).order_by("title")
    )
    team = totals["team"]
    for course in courses:
        course.expiring_soon = course.current - course.lasting
        course.missing = team - course.current
        course.share = _share(course.current, team)
    return {
        "team": team,
        "covered": totals["covered"] if required_count else team,
        "share": _share(totals["covered"], team) if required_count else None,
        "required_count": required_count,
        "courses": courses,
    }


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def team_training(programme, courses, *, today=None) -> list[dict]:
    """Each team member against each required course (for the team and administrators only)."""
    today = today or timezone.localdate()
    team = list(
        TeamMembership.objects.filter(programme=programme).select_related("user").order_by("user__name", "user__email")
    )
    best: dict[tuple[int, int], TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(
        person__in=[m.user_id for m in team], course__in=[c.pk for c in courses]
    ).only("person_id", "course_id", "completed_on", "expires_on"):
        key = (record.person_id, record.course_id)
        if key not in best or _lasts_longer(record, best[key]):
            best[key] = record
    rows = []
    for membership in team:
        cells = []
        for course in courses:
            record = best.get((membership.user_id, course.pk))
            if record is None:
                cells.append({"course": course, "label": _("Not done"), "tag": "nhsuk-tag--grey", "record": None})
            else:
                cells.append(
                    {"course": course, "label": record.status_label, "tag": record.status_tag, "record": record}
                )
        rows.append(
            {
                "membership": membership,
                "person": membership.user,
                "cells": cells,
                "all_current": all(c["record"] is not None and c["record"].is_current(today) for c in cells),
            }
        )
    return rows


# Reminders (daily, from Celery beat) --------------------------------------------------------------
def _not_renewed():
    """Records with no later record of the same course for the same person that lasts longer."""
    longer = TrainingRecord.objects.filter(person=OuterRef("person"), course=OuterRef("course")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on"))
    )
    return ~Exists(longer)


def managers_of(person) -> list:
    """The programme leads of every programme the person is on (team, or taking part in a project)."""
    User = get_user_model()
    programmes = TeamMembership.objects.filter(user=person).values("programme")
    through_projects = Participant.objects.taking_part().filter(member=person).values("project__programme")
    leads = TeamMembership.objects.filter(role=TeamMembership.Role.LEAD).filter(
        Q(programme__in=programmes) | Q(programme__in=through_projects)
    )
    return list(User.objects.filter(is_active=True, pk__in=leads.values("user")).exclude(pk=person.pk).order_by("pk"))


def send_training_reminders(*, today=None) -> dict:
    """Email people 30 days before a record expires, and their managers when a required course
    lapses. Each record is claimed with a conditional UPDATE before its email is queued, so running
    twice (or twice at once) sends nothing new. Records that expired long ago (imported history)
    are left alone: only lapses in the last 30 days are reported."""
    today = today or timezone.localdate()
    window = datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    base = TrainingRecord.objects.filter(person__is_active=True, expires_on__isnull=False).filter(_not_renewed())
    expiring = base.filter(
        expires_on__gte=today, expires_on__lte=today + window, expiry_reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    lapsed = (
        base.filter(expires_on__lt=today, expires_on__gte=today - window, lapse_notice_sent_at__isnull=True)
        .exclude(course__required_for=Course.RequiredFor.NONE)
        .values_list("pk", flat=True)
    )
    sent = {"expiring": 0, "lapsed": 0}
    for pk in list(expiring):
        sent["expiring"] += _remind_expiring(pk)
    for pk in list(lapsed):
        sent["lapsed"] += _notify_lapsed(pk)
    return sent


@transaction.atomic
def _remind_expiring(pk: int) -> int:
    now = timezone.now()
    if not TrainingRecord.objects.filter(pk=pk, expiry_reminder_sent_at__isnull=True).update(
        expiry_reminder_sent_at=now
    ):
        return 0
    record = TrainingRecord.objects.select_related("person", "course").get(pk=pk)
    upcoming = (
        TrainingSession.objects.upcoming().filter(course=record.course).order_by("starts_at").first()
        if record.course.is_active
        else None
    )
    audit.record("training.expiry_reminder_sent", subject=record)
    queue_templated_email(
        "people/email/training_expiring",
        to=record.person.email,
        context={
            "record": record,
            "person": record.person,
            "course": record.course,
            "next_session": upcoming,
            "course_url": _link("people:training_course_detail", record.course.public_id),
            "my_training_url": _link("people:my_training"),
        },
    )
    return 1


@transaction.atomic
def _notify_lapsed(pk: int) -> int:
    now = timezone.now()
    if not TrainingRecord.objects.filter(pk=pk, lapse_notice_sent_at__isnull=True).update(lapse_notice_sent_at=now):
        return 0
    record = TrainingRecord.objects.select_related("person", "course").get(pk=pk)
    managers = managers_of(record.person)
    audit.record("training.lapse_notice_sent", subject=record, detail=f"managers={len(managers)}")
    for manager in managers:
        queue_templated_email(
            "people/email/training_lapsed_manager",
            to=manager.email,
            context={
                "record": record,
                "person": record.person,
                "manager": manager,
                "course": record.course,
                "person_url": _link("people:training_person", record.person.public_id),
            },
        )
    return 1


# Personal data ------------------------------------------------------------------------------------
def _when(value):
    return value.isoformat() if value else None


def export_training(user) -> dict:
    records = TrainingRecord.objects.filter(person=user).select_related("course").order_by("completed_on", "pk")
    bookings = (
        TrainingBooking.objects.filter(person=user).select_related("session__course").order_by("session__starts_at")
    )
    return {
        "records": [
            {
                "course": r.course.title,
                "completed": _when(r.completed_on),
                "expires": _when(r.expires_on),
                "evidence": r.get_evidence_display(),
                "certificate_file_name": r.certificate_name or None,
            }
            for r in records
        ],
        "bookings": [
            {
                "course": b.session.course.title,
                "session_starts": _when(b.session.starts_at),
                "status": b.get_status_display(),
                "asked_on": _when(b.queued_at),
                "cancelled": _when(b.cancelled_at),
            }
            for b in bookings
        ],
    }


def erase_training(user) -> None:
    """Certificates go (they carry the person's name); future bookings are cancelled, so the places
    go to people waiting. The records stay, on the anonymous account, for the programmes' figures."""
    for record in TrainingRecord.objects.filter(person=user).exclude(certificate_file=""):
        _delete_certificate_later(record.certificate_file)
    TrainingRecord.objects.filter(person=user).exclude(certificate_file="").update(
        certificate_file="", certificate_name="", certificate_content_type="", updated_at=timezone.now()
    )
    upcoming = TrainingBooking.objects.filter(
        person=user, status__in=[Booking.BOOKED, Booking.WAITING], session__starts_at__gt=timezone.now()
    ).select_related("session")
    for booking in upcoming:
        cancel_booking(booking=booking, by=user)


# Used by views: how many places are left (annotated in one query).
def with_places_taken(sessions):
    return sessions.annotate(
        taken=Count("bookings", filter=Q(bookings__status=Booking.BOOKED)),
        waiting_count=Count("bookings", filter=Q(bookings__status=Booking.WAITING)),
    ).annotate(left=F("places") - F("taken"))
