"""Use cases for "You said", "We did", report schedules, reports and self-assessments.

Every function takes keyword arguments and an acting user, runs in one transaction, writes its
audit row there, and queues email only once the transaction commits. Bad input raises
ValidationError keyed by form field; a step that cannot be taken now raises ReportingError.

Reports are produced exactly once per (schedule, period):
- the beat job (`enqueue_due_reports`) works out the due periods from each schedule and what
  already exists, and inserts the missing rows under the unique key (schedule, period_start), so
  a period missed while the broker was down is caught up when it returns;
- `produce_report` claims the row with a conditional UPDATE (pending → building, or a building
  row whose claim is older than any task may run), builds the files, and marks it ready with a
  conditional UPDATE that only its own claim can pass;
- the email is queued in the same transaction as a conditional UPDATE of `emailed_at`, so a
  re-run sends nothing.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduction import audit, disclosure
from coproduction.emails import queue_templated_email
from coproduction.roles import Role
from programmes.models import TeamMembership
from reporting import indicators, periods
from reporting.models import (
    Report,
    ReportSchedule,
    ReportSubscription,
    SelfAssessment,
    Step,
    StepScore,
    WeDid,
    YouSaid,
)

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A build that has held its claim longer than any task may run (the hard time limit, plus a tenth for
# clocks that differ between workers) has died. The broker's visibility timeout is above
# this (settings), so a task re-delivered after its whole worker died can take the claim over.
STALE_BUILD_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 11 / 10)
# A pending row that was sent to the broker this long ago and is still pending is sent again.
RESEND_PENDING_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 5
STAFF_SIDE_ROLES = [Role.STAFF, Role.LEADER, Role.ADMINISTRATOR]


class ReportingError(Exception):
    """This step cannot be taken now. Nothing was changed."""


def _link(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def _required(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# "You said" ---------------------------------------------------------------------------------------
@transaction.atomic
def tell_us(*, member, programme, project=None, theme: str, text: str, request=None) -> YouSaid:
    """A member says something about a programme or project they take part in."""
    from programmes.models import Participant

    text = _required(text, "text", _("Tell us what you want to say"))
    taking_part = Participant.objects.taking_part().filter(member=member, project__programme=programme)
    if project is not None:
        taking_part = taking_part.filter(project=project)
    if not taking_part.exists():
        raise ReportingError(_("You can only tell us about projects you take part in."))
    item = YouSaid.objects.create(
        programme=programme,
        project=project,
        theme=theme,
        text=text,
        said_on=timezone.localdate(),
        source=YouSaid.Source.PORTAL,
        member=member,
        recorded_by=member,
    )
    audit.record("you_said.raised", actor=member, subject=item, request=request)
    return item


@transaction.atomic
def record_you_said(
    *,
    by,
    programme,
    theme: str,
    text: str,
    said_on: date,
    source: str,
    project=None,
    involvement_point=None,
    member=None,
    request=None,
) -> YouSaid:
    """Staff record something they heard (at an involvement point, or another way). The person
    who said it may stay anonymous (no member)."""
    text = _required(text, "text", _("Enter what was said"))
    if said_on is None or said_on > timezone.localdate():
        raise ValidationError({"said_on": _("Date it was said must be today or in the past")})
    if involvement_point is not None:
        if involvement_point.project.programme_id != programme.pk:
            raise ValidationError({"involvement_point": _("Choose an involvement point in this programme")})
        project = involvement_point.project
        source = YouSaid.Source.INVOLVEMENT_POINT
    if project is not None and project.programme_id != programme.pk:
        raise ValidationError({"project": _("Choose a project in this programme")})
    item = YouSaid.objects.create(
        programme=programme,
        project=project,
        involvement_point=involvement_point,
        theme=theme,
        text=text,
        said_on=said_on,
        source=source,
        member=member,
        recorded_by=by,
    )
    audit.record("you_said.recorded", actor=by, subject=item, request=request)
    return item


# "We did" -----------------------------------------------------------------------------------------
def _check_we_did(*, programme, owner, status, outcome, not_possible_reason, action) -> dict:
    action = _required(action, "action", _("Say what we will do"))
    outcome = (outcome or "").strip()
    reason = (not_possible_reason or "").strip()
    if status == WeDid.Status.DONE and not outcome:
        raise ValidationError({"outcome": _("Say what happened, in plain English")})
    if status == WeDid.Status.NOT_POSSIBLE and not reason:
        raise ValidationError({"not_possible_reason": _("Give an honest reason why it was not possible")})
    if not TeamMembership.objects.filter(programme=programme, user=owner).exists() and not owner.is_superuser:
        raise ValidationError({"owner": _("Choose someone on the programme team")})
    return {"action": action, "outcome": outcome, "not_possible_reason": reason}


def _link_items(we_did: WeDid, items, *, today: date) -> int:
    """Answer items that have no "We did" yet. Each is linked once (a conditional UPDATE)."""
    linked = 0
    for item in items:
        if item.programme_id != we_did.programme_id:
            raise ValidationError({"items": _("Choose “You said” items from this programme")})
        linked += YouSaid.objects.filter(pk=item.pk, action__isnull=True).update(
            action=we_did,
            answered_on=today,
            days_to_answer=max(0, (today - item.said_on).days),
            updated_at=timezone.now(),
        )
    return linked


def _tell_members(we_did: WeDid) -> int:
    """Email each member whose item this answers: once when it is answered, once more when the
    action is finished. Marked with a conditional UPDATE, so a second call sends nothing."""
    now = timezone.now()
    sent = 0
    items = YouSaid.objects.filter(action=we_did, member__isnull=False, member__is_active=True).select_related(
        "member", "programme", "project"
    )
    for item in items:
        messages = [("told_answered_at", "reporting/email/we_did_answered")]
        if we_did.is_finished:
            messages.append(("told_outcome_at", "reporting/email/we_did_finished"))
        for flag, template in messages:
            if YouSaid.objects.filter(pk=item.pk, **{f"{flag}__isnull": True}).update(**{flag: now}):
                queue_templated_email(
                    template,
                    to=item.member.email,
                    context={"item": item, "we_did": we_did, "url": _link("reporting:my_you_said")},
                )
                sent += 1
    return sent


@transaction.atomic
def record_we_did(
    *,
    by,
    programme,
    items,
    action: str,
    owner,
    due_date: date,
    status: str = WeDid.Status.PLANNED,
    outcome: str = "",
    not_possible_reason: str = "",
    request=None,
) -> WeDid:
    """Staff answer one or more "You said" items with an action."""
    items = list(items)
    if not items:
        raise ValidationError({"items": _("Choose at least one “You said” item this answers")})
    if due_date is None:
        raise ValidationError({"due_date": _("Enter a due date")})
    fields = _check_we_did(
        programme=programme,
        owner=owner,
        status=status,
        outcome=outcome,
        not_possible_reason=not_possible_reason,
        action=action,
    )
    today = timezone.localdate()
    we_did = WeDid.objects.create(
        programme=programme,
        owner=owner,
        due_date=due_date,
        status=status,
        completed_on=today if status in {WeDid.Status.DONE, WeDid.Status.NOT_POSSIBLE} else None,
        created_by=by,
        **fields,
    )
    if not _link_items(we_did, items, today=today):
        raise ReportingError(_("Those “You said” items already have a “We did”. Nothing has changed."))
    audit.record("we_did.recorded", actor=by, subject=we_did, detail=f"status={status}", request=request)
    _tell_members(we_did)
    return we_did


@transaction.atomic
def update_we_did(
    *,
    we_did: WeDid,
    by,
    action: str,
    owner,
    due_date: date,
    status: str,
    outcome: str = "",
    not_possible_reason: str = "",
    add_items=(),
    request=None,
) -> WeDid:
    """Change an action: its status, outcome or owner, or answer more items with it."""
    if due_date is None:
        raise ValidationError({"due_date": _("Enter a due date")})
    fields = _check_we_did(
        programme=we_did.programme,
        owner=owner,
        status=status,
        outcome=outcome,
        not_possible_reason=not_possible_reason,
        action=action,
    )
    today = timezone.localdate()
    finished = status in {WeDid.Status.DONE, WeDid.Status.NOT_POSSIBLE}
    completed_on = (we_did.completed_on or today) if finished else None
    previous = we_did.status
    WeDid.objects.filter(pk=we_did.pk).update(
        owner=owner, due_date=due_date, status=status, completed_on=completed_on, updated_at=timezone.now(), **fields
    )
    we_did.refresh_from_db()
    _link_items(we_did, add_items, today=today)
    audit.record("we_did.updated", actor=by, subject=we_did, detail=f"status={previous}->{status}", request=request)
    _tell_members(we_did)
    return we_did


# Schedules and subscriptions ----------------------------------------------------------------------
@transaction.atomic
def create_schedule(*, by, programme, frequency: str, starts_on: date, subscribers=(), request=None) -> ReportSchedule:
    exists = ReportSchedule.objects.filter(frequency=frequency)
    exists = exists.filter(programme=programme) if programme is not None else exists.filter(programme__isnull=True)
    if exists.exists():
        raise ValidationError({"frequency": _("There is already a schedule like this. Change that one instead.")})
    schedule = ReportSchedule.objects.create(
        programme=programme, frequency=frequency, starts_on=starts_on, created_by=by
    )
    ReportSubscription.objects.bulk_create(
        [ReportSubscription(schedule=schedule, user=user) for user in {by, *subscribers}], ignore_conflicts=True
    )
    audit.record("report_schedule.created", actor=by, subject=schedule, request=request)
    return schedule


@transaction.atomic
def set_subscription(*, schedule: ReportSchedule, user, subscribed: bool, request=None) -> bool:
    """Start or stop getting a schedule's reports by email. Returns whether anything changed."""
    if subscribed:
        changed = ReportSubscription.objects.get_or_create(schedule=schedule, user=user)[1]
    else:
        changed = ReportSubscription.objects.filter(schedule=schedule, user=user).delete()[0] > 0
    if changed:
        action = "report_schedule.subscribed" if subscribed else "report_schedule.unsubscribed"
        audit.record(action, actor=user, subject=schedule, request=request)
    return changed


# Producing reports --------------------------------------------------------------------------------
def send_to_workers(report_ids: list[int]) -> bool:
    """Hand reports to the broker. Never fails the caller: with the broker down the rows stay
    pending, with no `enqueued_at`, and the beat job sends them when it is back."""
    from reporting.tasks import produce_report

    sent = []
    try:
        for pk in report_ids:
            produce_report.apply_async(args=[pk], retry=False)
            sent.append(pk)
    except Exception:  # noqa: BLE001  (kombu and redis raise many kinds; the row stays pending)
        logger.warning("Broker unavailable: %d report(s) left pending for the beat job", len(report_ids) - len(sent))
    if sent:
        Report.objects.filter(pk__in=sent, status=Report.Status.PENDING).update(enqueued_at=timezone.now())
    return len(sent) == len(report_ids)


def _check_period(period_start, period_end) -> None:
    if period_start is None:
        raise ValidationError({"period_start": _("Enter the first day of the period")})
    if period_end is None:
        raise ValidationError({"period_end": _("Enter the last day of the period")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The last day must be the same as or after the first day")})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("The last day must be today or in the past")})
    if (period_end - period_start).days > 366:
        raise ValidationError({"period_end": _("A report can cover a year at most")})


def request_report(*, by, programme, period_start: date, period_end: date, request=None) -> Report:
    """Staff ask for a report now, for any period. The row is committed first; then it is sent to
    the workers. If the broker is down it stays pending and the beat job picks it up."""
    _check_period(period_start, period_end)
    with transaction.atomic():
        report = Report.objects.create(
            programme=programme,
            kind=Report.Kind.ON_DEMAND,
            period_start=period_start,
            period_end=period_end,
            requested_by=by,
        )
        audit.record("report.requested", actor=by, subject=report, request=request)
        transaction.on_commit(lambda: send_to_workers([report.pk]))
    return report


def enqueue_due_reports(*, today: date | None = None, now=None) -> dict:
    """The beat job: make a pending report for every complete period of every running schedule
    that has none (under the unique key, so a race makes no duplicate), then send every pending
    report to the workers. Safe to run any number of times."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    schedules = list(ReportSchedule.objects.filter(is_active=True))
    existing = set(Report.objects.filter(schedule__in=schedules).values_list("schedule_id", "period_start").order_by())
    missing = [
        Report(
            schedule=schedule,
            programme_id=schedule.programme_id,
            kind=Report.Kind.SCHEDULED,
            period_start=start,
            period_end=end,
        )
        for schedule in schedules
        for start, end in periods.complete_periods(schedule.starts_on, schedule.frequency, today=today)
        if (schedule.pk, start) not in existing
    ]
    Report.objects.bulk_create(missing, ignore_conflicts=True)
    due = Report.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(status=Report.Status.PENDING, enqueued_at__isnull=True)
        | Q(status=Report.Status.PENDING, enqueued_at__lt=now - RESEND_PENDING_AFTER)
        | Q(status=Report.Status.BUILDING, claimed_at__lt=now - STALE_BUILD_AFTER)
    )
    ids = list(due.order_by("period_start", "pk").values_list("pk", flat=True))
    sent = send_to_workers(ids) if ids else True
    return {"created": len(missing), "sent": len(ids) if sent else 0, "broker_ok": sent}


def produce_report(*, report_id: int, now=None) -> str:
    """The task body: claim, build, finish. Running it twice, or again after a worker died half
    way, leaves one report and one email."""
    now = now or timezone.now()
    claimed = (
        Report.objects.filter(pk=report_id)
        .filter(
            Q(status=Report.Status.PENDING) | Q(status=Report.Status.BUILDING, claimed_at__lt=now - STALE_BUILD_AFTER)
        )
        .update(status=Report.Status.BUILDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    if claimed != 1:
        return "not claimed"  # already ready, or another worker is building it
    report = Report.objects.select_related("programme", "schedule").get(pk=report_id)
    try:
        build_report(report)
    except Exception as error:
        Report.objects.filter(pk=report_id, status=Report.Status.BUILDING, claimed_at=now).update(
            status=Report.Status.PENDING, enqueued_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return finish_report(report, claimed_at=now)


@transaction.atomic
def finish_report(report: Report, *, claimed_at) -> str:
    """Mark the built report ready, if this build still holds the claim, and email it once."""
    now = timezone.now()
    done = Report.objects.filter(pk=report.pk, status=Report.Status.BUILDING, claimed_at=claimed_at).update(
        status=Report.Status.READY,
        built_at=now,
        html_file=report.html_file,
        pdf_file=report.pdf_file,
        csv_file=report.csv_file,
        figures=report.figures,
        last_error="",
        updated_at=now,
    )
    if done != 1:
        return "superseded"
    report.status = Report.Status.READY
    audit.record("report.produced", subject=report, detail=f"attempt={report.attempts}")
    if Report.objects.filter(pk=report.pk, emailed_at__isnull=True).update(emailed_at=now):
        for person in report_recipients(report):
            queue_templated_email(
                "reporting/email/report_ready",
                to=person.email,
                context={"report": report, "person": person, "url": _link("reporting:report_detail", report.public_id)},
            )
    return "ready"


def report_recipients(report: Report) -> list:
    """Who is emailed when a report is ready: the staff-side subscribers of its schedule, or the
    person who asked for it."""
    User = get_user_model()
    if report.schedule_id is None:
        return list(User.objects.filter(pk=report.requested_by_id, is_active=True))
    return list(
        User.objects.filter(
            report_subscriptions__schedule_id=report.schedule_id,
            is_active=True,
            groups__name__in=STAFF_SIDE_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


# Building: figures, then HTML, PDF and CSV ---------------------------------------------------------
def report_folder(report: Report) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(report.public_id)


def _write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a worker killed half way leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def report_items(report: Report):
    """The "You said / We did" rows of the period: said in it, or whose action finished in it."""
    scope = Q(programme=report.programme) if report.programme_id else Q()
    in_period = Q(said_on__gte=report.period_start, said_on__lte=report.period_end) | Q(
        action__completed_on__gte=report.period_start, action__completed_on__lte=report.period_end
    )
    return (
        YouSaid.objects.filter(scope, in_period)
        .select_related("action", "project", "programme")
        .order_by("said_on", "pk")
    )


def _previous_figures(report: Report) -> dict:
    start, end = periods.previous_period(report.period_start, report.period_end)
    earlier = Report.objects.filter(
        status=Report.Status.READY, period_start=start, period_end=end, programme_id=report.programme_id
    ).exclude(figures={})
    if report.schedule_id:
        earlier = earlier.filter(schedule_id=report.schedule_id)
    stored = earlier.order_by("-built_at").values_list("figures", flat=True).first()
    if stored:
        return stored
    return indicators.seven_steps(programme=report.programme, start=start, end=end).headline()


def report_context(report: Report) -> dict:
    steps = indicators.seven_steps(programme=report.programme, start=report.period_start, end=report.period_end)
    now = steps.headline()
    before = _previous_figures(report)
    previous_start, previous_end = periods.previous_period(report.period_start, report.period_end)
    return {
        "report": report,
        "steps": steps,
        "items": list(report_items(report)),
        "changes": indicators.changes(before, now),
        "previous_name": periods.period_name(previous_start, previous_end),
        "period_name": periods.period_name(report.period_start, report.period_end),
        "rule": disclosure.Rule.from_settings(),
        "headline": now,
    }


def _safe_csv(value) -> str:
    """No spreadsheet formulas from what people typed."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = ["section", "measure", "value", "date", "theme", "about", "you_said", "we_did", "status", "outcome"]


def report_csv(context: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    labels = indicators.headline_labels()
    for key, value in context["headline"].items():
        writer.writerow([_("Headline figures"), labels[key], value, "", "", "", "", "", "", ""])
    for table in context["steps"].recruitment.reach_tables:
        for row in table.rows:
            for (cell, _share), stage in zip(row.columns, (_("applied"), _("shortlisted"), _("selected")), strict=True):
                writer.writerow([_("Reach"), f"{table.label}: {row.label} ({stage})", str(cell), *[""] * 7])
    for theme in context["steps"].you_said.themes:
        writer.writerow([_("“You said” by theme"), theme["label"], theme["count"], *[""] * 7])
    for item in context["items"]:
        action = item.action
        writer.writerow(
            [
                _("You said, we did"),
                "",
                "",
                item.said_on.isoformat(),
                item.get_theme_display(),
                item.about,
                _safe_csv(item.text),
                _safe_csv(action.action) if action else "",
                action.get_status_display() if action else _("Not answered yet"),
                _safe_csv(action.plain_outcome) if action and action.is_finished else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def render_pdf(html_body: str, context: dict) -> bytes:
    from weasyprint import HTML

    document = render_to_string("reporting/report_pdf.html", {**context, "body": html_body})
    return HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def build_report(report: Report) -> Report:
    """Work out the figures and write the report's HTML, PDF and CSV under MEDIA_ROOT/reports.
    Sets the file names and figures on `report` (the caller saves them). A fixed number of
    queries, whatever the number of rows."""
    context = report_context(report)
    html_body = render_to_string("reporting/report_body.html", context)
    folder = report_folder(report)
    _write(folder / "report.html", html_body.encode("utf-8"))
    _write(folder / "report.pdf", render_pdf(html_body, context))
    _write(folder / "report.csv", report_csv(context))
    base = f"{report.public_id}/"
    report.html_file, report.pdf_file, report.csv_file = base + "report.html", base + "report.pdf", base + "report.csv"
    report.figures = context["headline"]
    return report


def read_report_file(report: Report, kind: str) -> bytes:
    name = {"html": report.html_file, "pdf": report.pdf_file, "csv": report.csv_file}[kind]
    if not name:
        raise FileNotFoundError(kind)
    return (Path(settings.MEDIA_ROOT) / "reports" / name).read_bytes()


def download_name(report: Report, kind: str) -> str:
    scope = slugify(report.scope_label) or "report"
    return f"we-said-we-did-{scope}-{report.period_start:%Y-%m-%d}-to-{report.period_end:%Y-%m-%d}.{kind}"


def record_download(*, report: Report, kind: str, by, request=None) -> None:
    """A team member downloaded a report's file: audited like every export."""
    audit.record("report.downloaded", actor=by, subject=report, detail=f"kind={kind}", request=request)


# Publishing ---------------------------------------------------------------------------------------
@transaction.atomic
def publish_report(*, report: Report, by, easy_read: str, request=None) -> Report:
    """Put a ready report on the public "We said, We did" page, with an Easy Read summary
    written by staff. Members who opted in to the schedule are emailed, once."""
    easy_read = _required(easy_read, "easy_read", _("Write the Easy Read summary"))
    now = timezone.now()
    moved = Report.objects.filter(pk=report.pk, status=Report.Status.READY, published_at__isnull=True).update(
        published_at=now, published_by=by, easy_read=easy_read, updated_at=now
    )
    if moved != 1:
        current = Report.objects.get(pk=report.pk)
        if current.published_at:
            raise ReportingError(_("This report is already published. Nothing has changed."))
        raise ReportingError(_("This report is not ready yet. Publish it once it has been produced."))
    report.refresh_from_db()
    audit.record("report.published", actor=by, subject=report, request=request)
    if report.schedule_id and Report.objects.filter(pk=report.pk, published_email_at__isnull=True).update(
        published_email_at=now
    ):
        members = (
            get_user_model()
            .objects.filter(report_subscriptions__schedule_id=report.schedule_id, is_active=True)
            .exclude(groups__name__in=STAFF_SIDE_ROLES)
            .distinct()
        )
        for person in members:
            queue_templated_email(
                "reporting/email/report_published",
                to=person.email,
                context={"report": report, "person": person, "url": _link("reporting:public_report", report.public_id)},
            )
    return report


# Self-assessment ----------------------------------------------------------------------------------
@transaction.atomic
def record_self_assessment(*, programme, by, assessed_on: date, scores: dict, request=None) -> SelfAssessment:
    """`scores` maps each step (1–7) to (score 1–4, evidence)."""
    if assessed_on is None or assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("Date of the assessment must be today or in the past")})
    if SelfAssessment.objects.filter(programme=programme, assessed_on=assessed_on).exists():
        raise ValidationError({"assessed_on": _("There is already a self-assessment on this date")})
    errors = {}
    for step in Step:
        score, evidence = scores.get(step.value, (None, ""))
        if score not in (1, 2, 3, 4):
            errors[f"score_{step.value}"] = _("Choose a score from 1 to 4")
        if not (evidence or "").strip():
            errors[f"evidence_{step.value}"] = _("Give the evidence for this score")
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment.objects.create(programme=programme, assessed_on=assessed_on, assessed_by=by)
    StepScore.objects.bulk_create(
        [
            StepScore(assessment=assessment, step=step, score=scores[step][0], evidence=scores[step][1].strip())
            for step in Step.values
        ]
    )
    audit.record("self_assessment.recorded", actor=by, subject=assessment, request=request)
    return assessment
