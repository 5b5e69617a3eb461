"""Data rights, checked with marker values: a member who touches every model that points at a
person, with every free-text field about them holding its own marker.

(a) Their download holds every marker, except fields the registry (people/personal_data.py) leaves
    out with a reason, so a new personal field that is not exported fails here.
(b) After the erasure job (past the cooling-off date), no marker is left anywhere in the database,
    every column of every table, except the fields KEPT names with the reason: the money records
    the law makes us keep, the audit trail, the record of consent and anonymous figures.
(c) The erasure job run a second time changes nothing: every row of every table is the same, and
    nothing is queued (no email, no file deleted).

The member lives in the authorisation matrix's world (tests/authorisation/rows/), which already
gives them most records; _extra_rows adds the rest. A new model with a link to a person fails
test_the_member_touches_every_model_that_points_at_a_person until a row for it is added here.
"""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry, Invitation
from people import personal_data
from people.models import DeletionRequest
from people.models.opportunities import CHARACTERISTICS
from people.tasks import erase_due_accounts
from programmes.models import ChampionCommitment, LadderRating, LeaderDecision, SignOffRequest, TeamMembership
from recognition.models import ExpenseItem, PaymentBatch
from reporting.models import Report, ReportSubscription, SelfAssessment
from tests.authorisation.matrix import world_for
from tests.people.factories_opportunities import ApplicationFactory, OpportunityFactory, PopulationFigureFactory
from tests.people.factories_profiles import ConsentFactory
from tests.people.factories_training import TrainingSessionFactory
from tests.people.test_your_data import HELD_IN, NOT_ABOUT_THEM
from tests.programmes.factories import ProjectFactory
from tests.reporting.factories import ScheduleFactory, WeDidFactory

pytestmark = pytest.mark.django_db

MARK = "Zq7"

# Rows that are about the person, and the path from each to them. Every free-text field on these
# rows gets a marker. A model that points at a person is here or in test_your_data.NOT_ABOUT_THEM
# (their work records: staff decisions, batches they built); a model that points at one of these
# is here or in NOT_ABOUT_THEM_THROUGH, with the reason.
ABOUT_THEM = {
    settings.AUTH_USER_MODEL: "pk",
    "account.EmailAddress": "user",
    "account.EmailConfirmation": "email_address__user",
    "mfa.Authenticator": "user",
    "coproduction.AuditEntry": "actor",
    "people.Profile": "user",
    "people.AccessNeeds": "user",
    "people.EqualityMonitoring": "user",
    "people.Consent": "user",
    "people.DeletionRequest": "user",
    "people.Application": "applicant",
    "people.ApplicationAnswer": "application__applicant",
    "people.ApplicationDecision": "application__applicant",
    "people.EqualitySnapshot": "application__applicant",
    "people.TrainingBooking": "person",
    "people.TrainingRecord": "person",
    "programmes.Participant": "member",
    "programmes.LadderRating": "rated_by",
    "programmes.TeamMembership": "user",
    "recognition.InvolvementLog": "member",
    "recognition.Reward": "member",
    "recognition.ExpenseClaim": "member",
    "recognition.ExpenseItem": "claim__member",
    "recognition.Receipt": "item__claim__member",
    "recognition.Certificate": "member",
    "reporting.YouSaid": "member",
    "reporting.ReportSubscription": "user",
}
NOT_ABOUT_THEM_THROUGH: dict[str, str] = {}

# Fields on those rows that are not about the person: no marker goes in them.
NOT_ABOUT_THEM_FIELDS = {
    "people.ApplicationAnswer.question_text": "the opportunity's question, copied so the answer keeps its sense",
}

# What erasure keeps, field by field, and why. Everything else about the person must go.
KEPT = {
    # Money records the law makes us keep for six years (HMRC; DESIGN.md "Data that must not be
    # lost"): what was paid or reimbursed, to whom, for what and why.
    "recognition.Reward.explanation": "how a payment was worked out: part of the payment record",
    "recognition.Reward.reason": "why a payment was corrected: part of the payment record",
    "recognition.InvolvementLog.decision_reason": "why the time behind a payment was confirmed or not",
    "recognition.ExpenseItem.decision_reason": "why a cost was reimbursed or not",
    "recognition.Receipt.content_type": "the kept receipt's file type (its name is blanked)",
    # The audit trail: who did what and when is kept (DESIGN.md), and by rule (coproduction/audit.py)
    # it never holds personal values; where they signed in from is cleared.
    "coproduction.AuditEntry.action": "the audit trail",
    "coproduction.AuditEntry.subject_type": "the audit trail",
    "coproduction.AuditEntry.subject_id": "the audit trail",
    "coproduction.AuditEntry.detail": "the audit trail",
    # Proof of what they agreed to, and when (UK GDPR article 7(1)): the notice's version number.
    "people.Consent.privacy_notice_version": "the record of consent given",
    # Aggregate figures (DESIGN.md): the copy of equality answers taken when they applied, no
    # longer linked to them or their application, so reach reports keep counting them.
    **{f"people.EqualitySnapshot.{name}": "anonymous figures for reach reports" for name in CHARACTERISTICS},
}


# Building the member's world ------------------------------------------------------------------------
def _marker(index: int) -> str:
    return f"{MARK}{index:03d}"


def _extra_rows(world):
    """Rows the matrix world does not give `member`: each model that points at a person gets one."""
    member, staff = world["people"]["member"], world["people"]["staff"]
    programme, project = world["programme"], world["project"]
    later = timezone.localdate() + timedelta(days=200)
    TeamMembership.objects.create(programme=programme, user=member, role=TeamMembership.Role.MEMBER)
    LadderRating.objects.create(
        involvement_point=world["happened_point"], rated_by=member, rater_kind="participant", level=5
    )
    EmailConfirmation.objects.create(
        email_address=EmailAddress.objects.get(user=member), key="k" * 64, sent=timezone.now()
    )
    Authenticator.objects.create(user=member, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    ReportSubscription.objects.create(schedule=world["reporting_schedule"], user=member)
    ConsentFactory(user=member)
    world["application"].decisions.create(outcome="shortlisted", reason="Meets the criteria.", by=staff)
    AuditEntry.objects.create(actor=member, action="signin.success", ip_address="192.0.2.10")
    DeletionRequest.objects.create(
        user=member, requested_at=timezone.now() - timedelta(days=15), erase_after=timezone.now() - timedelta(days=1)
    )
    # Their part in other people's records: work they did, not data about them.
    LogEntry.objects.create(
        user=member,
        content_type=ContentType.objects.get_for_model(Invitation),
        object_id="1",
        object_repr="An invitation",
        action_flag=ADDITION,
    )
    Invitation.objects.create(email="someone@example.org", name="Someone", role="Staff", invited_by=member)
    ProjectFactory(programme=programme, lead=member)
    commitment = ChampionCommitment.objects.create(
        leader=member, requested_by=member, programme=programme, pledge="I will listen.", review_date=later
    )
    sign_off = SignOffRequest.objects.create(programme=programme, leader=member, requested_by=member, message="Yes?")
    LeaderDecision.objects.create(commitment=commitment, action="requested", by=member)
    LeaderDecision.objects.create(sign_off_request=sign_off, action="requested", by=member)
    opportunity = OpportunityFactory(project=project, created_by=member, shortlisting_done_by=member)
    application = ApplicationFactory(opportunity=opportunity, applicant=world["people"]["other_member"])
    application.decisions.create(outcome="shortlisted", reason="Meets the criteria.", by=member)
    PopulationFigureFactory(loaded_by=member)
    TrainingSessionFactory(organiser=member, attendance_marked_by=member)
    PaymentBatch.objects.create(reference="PB-MEMBER-1", up_to=timezone.localdate(), built_by=member)
    WeDidFactory(programme=programme, owner=member, created_by=member)
    ScheduleFactory(programme=programme, created_by=member)
    Report.objects.create(
        programme=programme,
        kind=Report.Kind.ON_DEMAND,
        period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate() - timedelta(days=1),
        requested_by=member,
        published_by=member,
    )
    SelfAssessment.objects.create(programme=programme, assessed_on=timezone.localdate(), assessed_by=member)
    ExpenseItem.objects.filter(pk=world["recognition_sent_item"].pk).update(decided_by=member)


@pytest.fixture
def world(request):
    world = world_for(request)
    _extra_rows(world)
    return world


def _free_text_fields(model):
    """Fields a person's words or details can be typed into: text without a fixed list of choices."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.primary_key
    ]


def _rows_about(model, person):
    path = ABOUT_THEM[model._meta.label]
    return model.objects.filter(**{path: person.pk}) if path == "pk" else model.objects.filter(**{path: person})


@pytest.fixture
def markers(world):
    """Put a unique marker in every free-text field about the member: {marker: "app.Model.field"}."""
    person = world["people"]["member"]
    placed = {}
    for label in ABOUT_THEM:
        model = apps.get_model(label)
        for pk in _rows_about(model, person).values_list("pk", flat=True):
            values = {}
            for field in _free_text_fields(model):
                if field.name == "password" or f"{label}.{field.name}" in NOT_ABOUT_THEM_FIELDS:
                    continue  # a hash set by set_password (the registry says why it is not exported)
                marker = _marker(len(placed))
                values[field.name] = marker
                placed[marker] = f"{label}.{field.name}"
            if values:
                model.objects.filter(pk=pk).update(**values)
    return placed


# The lists are complete ------------------------------------------------------------------------------
def _points_at(model, targets):
    return any(f.is_relation and f.concrete and f.related_model in targets for f in model._meta.get_fields())


def test_every_model_that_points_at_a_person_or_their_records_is_classified():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    about = {apps.get_model(label) for label in ABOUT_THEM}
    unclassified = sorted(
        model._meta.label
        for model in apps.get_models()
        if _points_at(model, {user_model}) and model._meta.label not in ABOUT_THEM | NOT_ABOUT_THEM
    )
    assert not unclassified, f"Add to ABOUT_THEM (with the path to the person) or NOT_ABOUT_THEM: {unclassified}"
    assert set(HELD_IN) <= set(ABOUT_THEM), "Everything in a person's download is about them"
    through = sorted(
        model._meta.label
        for model in apps.get_models()
        if _points_at(model, about - {user_model})
        and model._meta.label not in ABOUT_THEM
        and model._meta.label not in NOT_ABOUT_THEM_THROUGH
    )
    assert not through, f"These point at a person's records: add to ABOUT_THEM or NOT_ABOUT_THEM_THROUGH: {through}"


def test_the_member_touches_every_model_that_points_at_a_person(world):
    member = world["people"]["member"]
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    untouched = []
    for model in apps.get_models():
        links = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model]
        if links and not any(model.objects.filter(**{name: member}).exists() for name in links):
            untouched.append(model._meta.label)
    assert not untouched, f"Give the member a row of each in _extra_rows: {untouched}"
    without_rows = [label for label in ABOUT_THEM if not _rows_about(apps.get_model(label), member).exists()]
    assert not without_rows, f"Give the member a row of each in _extra_rows: {without_rows}"


# (a) The download -----------------------------------------------------------------------------------
def test_the_download_holds_every_marker_of_every_personal_field(world, markers, client_for):
    response = client_for(world["people"]["member"]).get(reverse("people:your_data_download"))
    body = json.dumps(json.loads(response.content), ensure_ascii=False)
    missing = sorted(
        {field for marker, field in markers.items() if marker not in body} - set(personal_data.NOT_EXPORTED)
    )
    assert not missing, f"Personal fields not in the download (export them, or say why in NOT_EXPORTED): {missing}"


def test_every_field_left_out_of_the_download_says_why_and_still_exists():
    for field_label, reason in personal_data.NOT_EXPORTED.items():
        app_label, model_name, field_name = field_label.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert reason.strip(), field_label


# (b) Erasure ----------------------------------------------------------------------------------------
def _all_rows() -> dict:
    """Every row of every table, as text, by table name."""
    dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the database)
            dump[table] = sorted(tuple(str(value) for value in row) for row in cursor.fetchall())
    return dump


def _markers_in(dump, markers) -> set:
    found = set()
    for rows in dump.values():
        for row in rows:
            for value in row:
                if MARK in value:
                    found |= {field for marker, field in markers.items() if marker in value}
    return found


def _erase():
    return erase_due_accounts.delay().get()


def test_erasure_leaves_no_marker_anywhere_but_the_records_we_must_keep(world, markers):
    assert _erase() == 1
    left = _markers_in(_all_rows(), markers)
    assert not left - set(KEPT), f"Still held after erasure: {sorted(left - set(KEPT))}"
    assert set(KEPT) <= set(markers.values()), "Every field KEPT names is a personal field the test fills"


# (c) Twice --------------------------------------------------------------------------------------------
def test_the_erasure_job_run_a_second_time_changes_nothing(world, markers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first:
        assert _erase() == 1
    assert first, "the first run queues the 'your account has been deleted' email"
    before = _all_rows()
    with django_capture_on_commit_callbacks() as second:
        assert _erase() == 0
    assert _all_rows() == before
    assert not second, "the second run must queue no email and delete no file"
