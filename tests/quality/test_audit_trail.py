"""Every decision, payment, export and read of equality data writes one audit entry: who, what,
when, from where, and about which record.

The views come from the URL resolver: a URL whose name says it decides, pays, exports or reads
equality data must be listed in AUDITED (with how to do it and what entry it writes) or in
NOT_AUDITED (with the reason), so a new such view cannot ship without saying which. Each audited
view is used through the test client as the persona allowed to use it, in the authorisation
matrix's world (tests/authorisation/rows/), and must write exactly the entries named here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from programmes import champions
from programmes.models import SignOffRequest
from recognition import services as recognition_services
from recognition.models import PaymentBatch
from tests.authorisation.matrix import EXEMPT_PREFIXES, PERSONAS, world_for
from tests.authorisation.test_authorisation_matrix import ROWS_BY_NAME, all_url_names

pytestmark = pytest.mark.django_db

# What a URL name says when it decides, pays, exports or reads equality data.
SENSITIVE = re.compile(
    r"approv|decide|decision|reject|pay|paid|batch|export|download|csv|pdf|reach|equality|sign_?off"
    r"|certificate|receipt"
)

# Django's test client sends this for every request.
CLIENT_IP = "127.0.0.1"


def _date_parts(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def _confirm_waiting_log(world):
    """Something new approved and not yet in a batch, so finance can build one."""
    recognition_services.confirm_log(log=world["recognition_log"], by=world["people"]["staff"])


@dataclass
class Audited:
    url_name: str
    persona: str
    action: str
    subject: Callable  # world -> the record the entry is about
    method: str = "get"
    data: Callable = field(default=lambda world: {})
    prepare: Callable | None = None  # world -> None: what must be true first
    # Other entries the same step writes on purpose (downloading your data also reads your equality answers).
    also: tuple = ()


def _withdraw_first_sign_off_request(world):
    """A leader is asked once at a time: the world's waiting request goes first."""
    champions.withdraw_sign_off(sign_off=world["sign_off"], by=world["people"]["staff"], reason="Asked too soon.")


def _member(world):
    return world["people"]["member"]


AUDITED = [
    # Leaders' decisions
    Audited(
        "programmes:commitment_decide",
        "leader",
        "champion.commitment_declined",
        subject=lambda w: w["commitment_request"],
        method="post",
        data=lambda w: {"decision": "no", "reason": "I champion three programmes already."},
    ),
    Audited(
        "programmes:signoff_decide",
        "leader",
        "signoff.approved",
        subject=lambda w: w["sign_off"],
        method="post",
        data=lambda w: {"decision": "yes", "reason": "A good plan with early involvement."},
    ),
    Audited(
        "programmes:signoff_withdraw",
        "staff",
        "signoff.withdrawn",
        subject=lambda w: w["sign_off"],
        method="post",
        data=lambda w: {"reason": "We asked the wrong leader."},
    ),
    Audited(
        "programmes:signoff_request",
        "staff",
        "signoff.requested",
        subject=lambda w: SignOffRequest.objects.filter(programme=w["programme"]).latest("created_at"),
        method="post",
        data=lambda w: {"leader": w["people"]["leader"].pk, "message": "Please approve our new plan."},
        prepare=_withdraw_first_sign_off_request,
    ),
    # Fair selection
    Audited(
        "people:application_decide",
        "staff",
        "application.shortlisted",
        subject=lambda w: w["application"],
        method="post",
        data=lambda w: {
            "application": str(w["application"].public_id),
            "outcome": "shortlisted",
            "reason": "Meets the published criteria: lives with COPD.",
        },
    ),
    # Approving time and expenses, and correcting money
    Audited(
        "recognition:log_decide",
        "staff",
        "involvement.confirmed",
        subject=lambda w: w["recognition_log"],
        method="post",
        data=lambda w: {"decision": "confirm"},
    ),
    Audited(
        "recognition:item_decide",
        "staff",
        "expenses.item_approved",
        subject=lambda w: w["recognition_sent_item"],
        method="post",
        data=lambda w: {"decision": "approve"},
    ),
    Audited(
        "recognition:reward_correct",
        "staff",
        "reward.corrected",
        subject=lambda w: w["recognition_reward"],
        method="post",
        data=lambda w: {"action": "change", "hours": "1", "minutes": "", "choice": "voucher", "reason": "One hour."},
    ),
    # Payments
    Audited(
        "recognition:batch_create",
        "finance",
        "payment_batch.built",
        subject=lambda w: PaymentBatch.objects.latest("created_at"),
        method="post",
        data=lambda w: _date_parts("up_to", timezone.localdate()),
        prepare=_confirm_waiting_log,
    ),
    Audited(
        "recognition:batch_export",
        "finance",
        "payment_batch.exported",
        subject=lambda w: w["recognition_built_batch"],
        method="post",
    ),
    Audited(
        "recognition:batch_paid",
        "finance",
        "payment_batch.paid",
        subject=lambda w: w["recognition_exported_batch"],
        method="post",
    ),
    Audited(
        "recognition:batch_discard",
        "finance",
        "payment_batch.discarded",
        subject=lambda w: w["recognition_built_batch"],
        method="post",
    ),
    Audited(
        "recognition:batch_download",
        "finance",
        "payment_batch.downloaded",
        subject=lambda w: w["recognition_exported_batch"],
    ),
    # Downloads of personal data
    Audited(
        "recognition:receipt",
        "finance",
        "receipt.downloaded",
        subject=lambda w: w["recognition_receipt"],
    ),
    Audited(
        "recognition:certificate_create",
        "member",
        "certificate.issued",
        subject=lambda w: _member(w).certificates.latest("issued_at"),
        method="post",
    ),
    Audited(
        "recognition:certificate_pdf",
        "member",
        "certificate.downloaded",
        subject=lambda w: w["recognition_certificate"],
    ),
    Audited(
        "people:training_certificate",
        "staff",
        "training.certificate_viewed",
        subject=lambda w: w["certificate_record"],
    ),
    Audited(
        "people:your_data_download",
        "member",
        "personal_data.exported",
        subject=_member,
        # The download holds their equality answers: that read is audited on its own.
        also=("equality.read",),
    ),
    # Reports
    Audited(
        "reporting:report_pdf",
        "staff",
        "report.downloaded",
        subject=lambda w: w["reporting_report"],
    ),
    Audited(
        "reporting:report_csv",
        "staff",
        "report.downloaded",
        subject=lambda w: w["reporting_report"],
    ),
    Audited(
        "reporting:report_publish",
        "staff",
        "report.published",
        subject=lambda w: w["reporting_report"],
        method="post",
        data=lambda w: {"easy_read": "People told us classes were far away.\nWe moved them."},
    ),
    # Equality data: the member's own answers, and reach totals
    Audited(
        "people:equality",
        "member",
        "equality.read",
        subject=lambda w: w["member_equality"],
    ),
    Audited(
        "people:equality",
        "member",
        "equality.changed",
        subject=lambda w: w["member_equality"],
        method="post",
        data=lambda w: {"age_band": "25_34", "religion": "prefer_not_to_say"},
    ),
    Audited(
        "people:reach_opportunity",
        "staff",
        "reach.viewed",
        subject=lambda w: w["opportunity"],
    ),
    Audited(
        "people:reach_programme",
        "leader",
        "reach.viewed",
        subject=lambda w: w["programme"],
    ),
    Audited(
        "people:reach_download_opportunity",
        "staff",
        "reach.downloaded",
        subject=lambda w: w["opportunity"],
    ),
    Audited(
        "people:reach_download_programme",
        "leader",
        "reach.downloaded",
        subject=lambda w: w["programme"],
    ),
]

NOT_AUDITED = {
    "recognition:approvals": "the queue of work; each decision is audited on log_decide and item_decide",
    "recognition:batch_detail": "a page; the payroll file, which leaves the portal, is audited on batch_download",
    "programmes:signoff_detail": "reading a request and its history; deciding and withdrawing are audited",
    "recognition:certificate_check": "public: checks a code printed on a certificate, shows no more than it",
    "reporting:public_report_pdf": "a published report anyone may read: totals only, and no one signed in",
    "reporting:public_report_csv": "a published report anyone may read: totals only, and no one signed in",
    "people:your_data": "the page counts equality answers in the database without reading them",
}


def test_every_view_that_decides_pays_exports_or_reads_equality_data_is_listed():
    names = {name for name in all_url_names() if not name.startswith(EXEMPT_PREFIXES)}
    listed = {case.url_name for case in AUDITED} | set(NOT_AUDITED)
    missing = sorted(name for name in names if SENSITIVE.search(name) and name not in listed)
    assert not missing, f"Say in AUDITED or NOT_AUDITED ({__file__}) how these are audited: {missing}"
    gone = sorted(listed - names)
    assert not gone, f"Listed but no longer URLs: {gone}"
    assert {case.persona for case in AUDITED} <= set(PERSONAS)


@pytest.fixture
def world(request):
    return world_for(request)


def _read(response):
    # Streamed files (payroll CSV, receipts) are only produced as they are read.
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("case", AUDITED, ids=lambda case: f"{case.url_name}-{case.action}")
def test_the_action_writes_one_audit_entry_with_who_what_when_where(case, world, client_for):
    if case.prepare:
        case.prepare(world)
    actor = world["people"][case.persona]
    client = client_for(actor)
    url = reverse(case.url_name, args=ROWS_BY_NAME[case.url_name].args(world))
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = timezone.now()

    response = _read(getattr(client, case.method)(url, case.data(world)))

    assert response.status_code in (200, 302), f"{url} answered {response.status_code}"
    new = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))
    entries = [entry for entry in new if entry.action == case.action]
    assert len(entries) == 1, f"{case.url_name}: expected one '{case.action}' entry, got {[e.action for e in new]}"
    assert sorted(e.action for e in new if e is not entries[0]) == sorted(case.also), (
        f"{case.url_name} wrote other entries: {[e.action for e in new]}"
    )
    entry = entries[0]
    subject = case.subject(world)
    assert entry.actor == actor
    assert entry.subject_type == subject._meta.label
    assert entry.subject_id == str(subject.public_id)
    assert before - timedelta(seconds=1) <= entry.occurred_at <= timezone.now()
    assert entry.ip_address == CLIENT_IP


# Signing in and being refused -----------------------------------------------------------------------
def test_signing_in_writes_one_entry_with_the_person_and_where_from(client, member):
    client.post(reverse("account_login"), {"login": "alice@example.org", "password": "a-long-test-password-1"})
    entry = AuditEntry.objects.get(action="signin.success")
    assert entry.actor == member and entry.ip_address == CLIENT_IP
    assert entry.subject_type == member._meta.label and entry.subject_id == str(member.public_id)


def test_a_failed_sign_in_writes_one_entry_with_where_from(client, member):
    client.post(reverse("account_login"), {"login": "alice@example.org", "password": "not-the-password"})
    entry = AuditEntry.objects.get(action="signin.failed")
    assert entry.actor is None and entry.ip_address == CLIENT_IP
    assert "alice@example.org" not in entry.detail


def test_a_permission_denial_writes_one_entry_with_who_and_where_from(client_for, member):
    assert client_for(member).get(reverse("invitation_list")).status_code == 403
    entry = AuditEntry.objects.get(action="permission.denied")
    assert entry.actor == member and entry.ip_address == CLIENT_IP and entry.detail == reverse("invitation_list")
