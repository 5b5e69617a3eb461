"""No log line, task argument, audit entry or email to staff holds a person's health or equality data.

A member gives marker values for everything that is special category data (DESIGN.md "Data that
must not be lost or leaked"): equality answers, access needs, the support they ask for when
applying, what they write about themselves in an application, and their lived experience. Then
everyone does what touches those values: the member fills in their profile, access needs and
equality answers and applies; staff decide, read the reach report and download it, produce a report;
the member downloads their data and is erased. Every log record (all loggers, at DEBUG), every
Celery task's arguments, every audit entry and every email to someone else is searched for the
markers.
"""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from celery.app.task import Task
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from people import training
from people.models import DeletionRequest, LivedExperienceTag
from people.tasks import erase_due_accounts
from reporting.models import Report
from tests.authorisation.matrix import world_for
from tests.people.factories_opportunities import OpportunityFactory

pytestmark = pytest.mark.django_db

# Free text, unique to this test: must appear nowhere. (The postcode district must look like one.)
NEEDS = "Zq8 a quiet room, I have panic attacks in crowds"
SUPPORT_TO_APPLY = "Zq8 breaks for my dialysis"
ANSWER = "Zq8 I have lived with HIV for ten years"
LIVED_EXPERIENCE = "Zq8 Long covid"
POSTCODE = "QZ9Z"
EQUALITY_ANSWERS = {
    "ethnicity": "white_gypsy_traveller",
    "sexual_orientation": "bisexual",
    "disability": "yes_a_lot",
    "religion": "buddhist",
    "postcode_district": POSTCODE,
}
FREE_TEXT = [NEEDS, SUPPORT_TO_APPLY, ANSWER, LIVED_EXPERIENCE, POSTCODE]
# The answers chosen from lists: their stored codes and the words shown for them (any case).
CHOSEN = ["white_gypsy_traveller", "gypsy or irish traveller", "bisexual", "yes_a_lot", "yes, a lot", "buddhist"]

MEMBER_EMAIL = "alice@example.org"


def leaks(text: str) -> list[str]:
    text = str(text)
    return [m for m in FREE_TEXT if m in text] + [m for m in CHOSEN if m in text.lower()]


# What the portal says, and where --------------------------------------------------------------------
class KeepRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def log_records(caplog):
    """Every record from every logger, each set to DEBUG (as someone chasing a fault might), with a
    handler on the root and on every logger that does not pass its records up to it."""
    caplog.set_level(logging.DEBUG)
    handler = KeepRecords()
    root = logging.getLogger()
    loggers = [logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in [root, *(logger for logger in loggers if not logger.propagate)]:
        logger.addHandler(handler)
    yield handler.records
    for logger, level in levels.items():
        logger.setLevel(level)
    for logger in [root, *loggers]:
        logger.removeHandler(handler)


@pytest.fixture
def task_calls():
    """(task name, args, kwargs) of every Celery task sent, as a broker would carry them."""
    calls = []
    send = Task.apply_async

    def recording(task, args=None, kwargs=None, *more, **options):
        calls.append((task.name, args, kwargs))
        return send(task, args, kwargs, *more, **options)

    with mock.patch.object(Task, "apply_async", recording):
        yield calls


@pytest.fixture
def world(request):
    world = world_for(request)
    # The member's training certificate is a file the matrix shares between worlds: erasure deletes
    # the member's certificate, so give them one of their own.
    name = training.certificate_storage().save("training-certificates/quality/certificate.pdf", ContentFile(b"%PDF"))
    type(world["certificate_record"]).objects.filter(pk=world["certificate_record"].pk).update(certificate_file=name)
    return world


def _formatted_exception(record) -> str:
    return logging.Formatter().formatException(record.exc_info) if record.exc_info else ""


def _date_parts(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def _ok(response):
    assert response.status_code in (200, 302), response.status_code
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _member_says_everything(client, world):
    tag = LivedExperienceTag.objects.create(name=LIVED_EXPERIENCE)
    _ok(
        client.post(
            reverse("people:profile_edit"),
            {
                "name": "Alice Member",
                "preferred_name": "Al",
                "contact_methods": ["email"],
                "lived_experience": [tag.pk],
                "payment_preference": "voucher",
            },
        )
    )
    _ok(client.post(reverse("people:access_needs"), {"needs": ["large_print"], "other_details": NEEDS}))
    _ok(client.post(reverse("people:equality"), EQUALITY_ANSWERS))
    _ok(client.get(reverse("people:equality")))
    opportunity = OpportunityFactory(project=world["project"], blind_shortlisting=False)
    answers = {f"answer_{question.pk}": ANSWER for question in opportunity.questions.all()}
    apply = reverse("people:apply", args=[opportunity.public_id])
    _ok(client.post(apply, {**answers, "access_needs": SUPPORT_TO_APPLY}))
    return opportunity


def _staff_use_it(client, world, opportunity):
    application = opportunity.applications.get()
    _ok(client.get(reverse("people:applications", args=[opportunity.public_id])))
    decide = reverse("people:application_decide", args=[opportunity.public_id])
    _ok(client.get(decide, {"application": application.public_id}))
    _ok(client.post(decide, {"application": application.public_id, "outcome": "selected", "reason": "Meets them."}))
    for name, args in [("reach_opportunity", opportunity.public_id), ("reach_programme", world["programme"].public_id)]:
        _ok(client.get(reverse(f"people:{name}", args=[args])))
    for name, args in [
        ("reach_download_opportunity", opportunity.public_id),
        ("reach_download_programme", world["programme"].public_id),
    ]:
        _ok(client.get(reverse(f"people:{name}", args=[args])))
    _ok(client.get(reverse("recognition:attendance", args=[world["point"].public_id])))
    _ok(client.get(reverse("reporting:you_said_list", args=[world["programme"].public_id])))


def _staff_produce_a_report(client, world, committed):
    today = timezone.localdate()
    with committed(execute=True):  # the report is sent to the workers once its row is committed
        _ok(
            client.post(
                reverse("reporting:report_now"),
                {
                    "programme": world["programme"].pk,
                    **_date_parts("period_start", today - timedelta(days=60)),
                    **_date_parts("period_end", today),
                },
            )
        )
    report = Report.objects.filter(programme=world["programme"]).latest("created_at")
    assert report.is_ready
    _ok(client.get(reverse("reporting:report_csv", args=[report.public_id])))
    _ok(client.get(reverse("reporting:report_pdf", args=[report.public_id])))


def test_special_category_data_stays_out_of_logs_tasks_audit_and_staff_email(
    world, client_for, log_records, task_calls, sent_emails, django_capture_on_commit_callbacks
):
    people = world["people"]
    member = people["member"]
    client = client_for(member)
    opportunity = _member_says_everything(client, world)
    _staff_use_it(client_for(people["staff"]), world, opportunity)
    _staff_produce_a_report(client_for(people["staff"]), world, django_capture_on_commit_callbacks)
    _ok(client_for(people["leader"]).get(reverse("people:reach_programme", args=[world["programme"].public_id])))
    batch = world["recognition_exported_batch"]
    _ok(client_for(people["finance"]).get(reverse("recognition:batch_download", args=[batch.public_id])))
    client = client_for(member)
    _ok(client.get(reverse("people:your_data")))
    download = _ok(client.get(reverse("people:your_data_download"))).content.decode()
    _ok(client.post(reverse("people:delete_account"), {"confirm": "yes"}))
    DeletionRequest.objects.filter(user=member).update(erase_after=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert erase_due_accounts.delay().get() == 1

    # The journeys really did carry the markers, and every place searched below has something in it.
    assert all(marker in download for marker in FREE_TEXT)
    assert all(answer in download.lower() for answer in ["gypsy or irish traveller", "bisexual", "yes, a lot"])
    assert log_records and AuditEntry.objects.filter(action="equality.read").exists()
    assert {"coproduction.tasks.send_email", "reporting.tasks.produce_report"} <= {name for name, *_ in task_calls}
    assert any(MEMBER_EMAIL not in email.to for email in sent_emails), "staff are emailed the report"

    found = []
    for record in log_records:
        text = f"{record.getMessage()} {record.args!r} {_formatted_exception(record)} {record.stack_info or ''}"
        found += [(f"log {record.name}", m) for m in leaks(text)]
    for name, args, kwargs in task_calls:
        found += [(f"task {name}", m) for m in leaks(f"{args!r} {kwargs!r}")]
    for entry in AuditEntry.objects.all():
        text = " ".join([entry.action, entry.subject_type, entry.subject_id, entry.detail])
        found += [(f"audit {entry.action}", m) for m in leaks(text)]
    for email in sent_emails:
        if MEMBER_EMAIL not in email.to:
            found += [(f"email to {email.to}: {email.subject}", m) for m in leaks(email.subject + email.body)]
    assert not found, f"Special category data found: {found}"
