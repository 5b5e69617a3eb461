"""Your data: see it, download it, correct it, change consent, and be deleted after 14 days."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from people import personal_data, services_profiles
from people.models.profiles import (
    PRIVACY_NOTICE_VERSION,
    AccessNeeds,
    Consent,
    DeletionRequest,
    EqualityMonitoring,
    Profile,
)
from people.tasks import erase_due_accounts
from programmes.models import LadderRating, Participant
from tests.conftest import assert_flat_queries
from tests.people.factories_profiles import (
    AccessNeedsFactory,
    ConsentFactory,
    DeletionRequestFactory,
    EqualityMonitoringFactory,
    ProfileFactory,
)
from tests.programmes.factories import InvolvementPointFactory, ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROFILE_MARKER = "Marigold"
NEEDS_MARKER = "Papers on yellow paper please"
POSTCODE_MARKER = "ZE3"
COMMENT_MARKER = "We really changed the leaflet"


@pytest.fixture
def held(member):
    """Everything the portal holds about `member`, each with a marker value."""
    profile = ProfileFactory(user=member, preferred_name=PROFILE_MARKER, phone="07700 900 982", contact_by_phone=True)
    AccessNeedsFactory(user=member, other=True, other_details=NEEDS_MARKER)
    EqualityMonitoringFactory(user=member, postcode_district=POSTCODE_MARKER)
    ConsentFactory(user=member)
    participant = ParticipantFactory(member=member, message="Welcome aboard")
    point = InvolvementPointFactory(project=participant.project, status="happened")
    LadderRating.objects.create(involvement_point=point, rated_by=member, rater_kind="participant", level=6,
                                comment=COMMENT_MARKER)
    AuditEntry.objects.create(actor=member, action="signed_in", ip_address="192.0.2.44")
    return {"profile": profile, "participant": participant}


def download(client) -> dict:
    response = client.get(reverse("people:your_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="your-data-')
    return json.loads(response.content)


# Seeing and downloading ---------------------------------------------------------------------------
def test_the_your_data_page_shows_what_we_hold_with_links_to_correct_it(client_for, member, held):
    html = client_for(member).get(reverse("people:your_data")).content.decode()
    for words in [PROFILE_MARKER, NEEDS_MARKER, "alice@example.org", "Welcome aboard", COMMENT_MARKER,
                  "Agreed to the privacy notice"]:
        assert words in html
    for url_name in ["people:profile_edit", "people:access_needs", "people:equality", "people:consent",
                     "my_account", "people:your_data_download", "people:delete_account"]:
        assert f'href="{reverse(url_name)}"' in html


def test_the_your_data_page_counts_equality_answers_but_never_shows_them(client_for, member, held):
    html = client_for(member).get(reverse("people:your_data")).content.decode()
    assert POSTCODE_MARKER not in html
    assert "You answered 4 of 9 questions" in html
    assert not AuditEntry.objects.filter(action="equality.read").exists()


def test_another_topics_copy_of_equality_answers_stays_off_the_page_too(client_for, member, monkeypatch):
    section = personal_data.Section(
        key="copies",
        title="Copies",
        export=lambda user: [{"what": "An application", "equality_answers_when_you_applied": {"sex": "zz-marker"}}],
        erase=None,
    )
    monkeypatch.setitem(personal_data.SECTIONS, "copies", section)
    html = client_for(member).get(reverse("people:your_data")).content.decode()
    assert "An application" in html and "In your download only" in html and "zz-marker" not in html


def test_the_download_holds_everything_including_the_members_own_equality_answers(client_for, member, held):
    data = download(client_for(member))
    assert data["account"]["email"] == "alice@example.org" and data["account"]["name"] == "Alice Member"
    assert data["profile"]["preferred_name"] == PROFILE_MARKER
    assert data["access_needs"]["something_else"] == NEEDS_MARKER
    assert data["equality"]["answers"]["postcode_district"]["answer"] == POSTCODE_MARKER
    assert data["equality"]["answers"]["ethnicity"]["nhs_ethnic_category_code"] == "C"
    assert data["consent"][0]["privacy_notice_version"] == PRIVACY_NOTICE_VERSION
    assert data["programmes"]["projects"][0]["message_to_you"] == "Welcome aboard"
    assert data["programmes"]["ladder_ratings"][0]["comment"] == COMMENT_MARKER
    assert {"when", "what", "ip_address"} <= set(data["account"]["activity"][0])
    assert set(personal_data.SECTIONS) <= set(data)


def test_downloading_is_audited_and_so_is_reading_the_equality_answers_but_not_their_values(
    client_for, member, held
):
    download(client_for(member))
    exported = AuditEntry.objects.get(action="personal_data.exported")
    read = AuditEntry.objects.get(action="equality.read")
    assert exported.actor == member and read.actor == member and read.detail == "purpose=export"
    assert POSTCODE_MARKER not in exported.detail + read.detail


def test_the_download_never_holds_the_two_step_verification_secret(client_for, member):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    TOTP.activate(member, TOTP_SECRET)
    body = client_for(member).get(reverse("people:your_data_download")).content.decode()
    assert TOTP_SECRET not in body
    assert "Authenticator app" in body


def test_staff_download_their_own_data_too(client_for, staff):
    data = download(client_for(staff))
    assert data["account"]["email"] == "charlie@example.org"
    assert data["profile"] is None and data["equality"] is None


def test_the_your_data_page_queries_stay_flat_as_records_grow(client_for, member, held):
    project = held["participant"].project

    def add(n):
        for _ in range(n):
            ParticipantFactory(member=member, project=ProjectFactory(programme=project.programme))
            ConsentFactory(user=member)
            DeletionRequestFactory(user=member, cancelled_at=timezone.now())

    assert_flat_queries(client_for(member), reverse("people:your_data"), add)


# Every record about a person is in their download ---------------------------------------------------
# Each model that points at a person: the "your data" section that exports it, or why it is not
# about them. A new model with a link to a person must be added here (and registered in
# people/personal_data.py), or this test fails.
HELD_IN = {
    "reporting.YouSaid": "you_said",
    "reporting.ReportSubscription": "you_said",
    "account.EmailAddress": "account",
    "mfa.Authenticator": "account",
    "coproduction.AuditEntry": "account",
    "people.Profile": "profile",
    "people.AccessNeeds": "access_needs",
    "people.EqualityMonitoring": "equality",
    "people.Consent": "consent",
    "people.DeletionRequest": "deletion_requests",
    "programmes.Participant": "programmes",
    "programmes.LadderRating": "programmes",
    "programmes.TeamMembership": "programmes",
    "people.Application": "applications",
    "people.TrainingBooking": "training",
    "people.TrainingRecord": "training",
    "recognition.InvolvementLog": "recognition",
    "recognition.Reward": "recognition",
    "recognition.ExpenseClaim": "recognition",
    "recognition.Certificate": "recognition",
}
NOT_ABOUT_THEM = {
    "reporting.WeDid": "staff's actions; the member's own 'You said' items are exported with their answers",
    "reporting.ReportSchedule": "a staff report schedule",
    "reporting.Report": "a produced report of totals, naming nobody",
    "reporting.SelfAssessment": "a programme team's self-assessment",
    "admin.LogEntry": "what an administrator did in the Django admin",
    "coproduction.Invitation": "staff invitations: who invited whom, for an administrator",
    "programmes.Programme": "the team, through TeamMembership",
    "programmes.Project": "the project lead: staff work records",
    "programmes.ChampionCommitment": "a leader's public pledge: published on purpose",
    "programmes.SignOffRequest": "staff and leader work records",
    "programmes.LeaderDecision": "who decided: kept by law and policy",
    "people.Opportunity": "staff work records",
    "people.ApplicationDecision": "who decided: kept as the record of a fair decision",
    "people.PopulationFigure": "who loaded area figures",
    "people.TrainingSession": "the organiser and who marked attendance: staff work records",
    "recognition.PaymentBatch": "finance officers' work records",
    "recognition.ExpenseItem": "who decided (the item is the member's, through its claim)",
    "recognition.Receipt": "who uploaded it (the receipt is the member's, through its claim)",
}


def test_every_model_that_points_at_a_person_is_in_their_download_or_says_why_not():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    pointing = {
        model._meta.label
        for model in apps.get_models()
        if any(f.is_relation and f.concrete and f.related_model is user_model for f in model._meta.get_fields())
    }
    unaccounted = pointing - set(HELD_IN) - set(NOT_ABOUT_THEM)
    assert not unaccounted, f"Add these to HELD_IN or NOT_ABOUT_THEM in {__file__}: {sorted(unaccounted)}"
    present = {label: section for label, section in HELD_IN.items() if label in pointing}
    assert set(present.values()) <= set(personal_data.SECTIONS)


# Consent ------------------------------------------------------------------------------------------
def test_a_member_agrees_to_the_current_privacy_notice_and_the_history_is_kept_newest_first(client_for, member):
    ConsentFactory(user=member, privacy_notice_version="0", recorded_at=timezone.now() - timedelta(days=400))
    client = client_for(member)
    html = client.get(reverse("people:consent")).content.decode()
    assert "privacy notice version 1" in html
    response = client.post(reverse("people:consent"), {"form": "privacy", "privacy-agree": "on"})
    assert response.status_code == 302
    history = list(Consent.objects.filter(user=member))
    assert [c.privacy_notice_version for c in history] == ["1", "0"]
    assert AuditEntry.objects.filter(action="consent.privacy_notice_agreed", detail="version=1").exists()
    assert "You agreed to privacy notice version 1" in client.get(reverse("people:consent")).content.decode()


def test_not_ticking_the_privacy_notice_box_is_explained(client_for, member):
    html = client_for(member).post(reverse("people:consent"), {"form": "privacy"}).content.decode()
    assert "nhsuk-error-summary" in html and "Tick the box to say you have read the privacy notice" in html
    assert not Consent.objects.exists()


def test_a_member_withdraws_consent_to_being_contacted_and_it_is_recorded_once(client_for, member):
    client = client_for(member)
    client.post(reverse("people:consent"), {"form": "contact", "contact-happy": "yes"})
    client.post(reverse("people:consent"), {"form": "contact", "contact-happy": "no"})
    client.post(reverse("people:consent"), {"form": "contact", "contact-happy": "no"})
    assert Profile.objects.get(user=member).happy_to_be_contacted is False
    assert [c.action for c in Consent.objects.filter(user=member)] == ["contact_withdrawn", "contact_given"]
    assert AuditEntry.objects.filter(action="consent.contact_withdrawn", actor=member).count() == 1


# Asking to be deleted -----------------------------------------------------------------------------
def test_a_member_asks_to_be_deleted_and_is_told_when_and_how_to_cancel(client_for, member, sent_emails):
    client = client_for(member)
    html = client.get(reverse("people:delete_account")).content.decode()
    assert "14 days" in html and "payment records for 6 years" in html
    response = client.post(reverse("people:delete_account"), {"confirm": "yes"})
    assert response.status_code == 302
    deletion = DeletionRequest.objects.get(user=member)
    assert deletion.is_pending
    assert abs((deletion.erase_after - deletion.requested_at) - timedelta(days=14)) < timedelta(seconds=5)
    assert AuditEntry.objects.filter(action="account.deletion_requested", actor=member).exists()
    assert len(sent_emails) == 1 and sent_emails[0].to == ["alice@example.org"]
    assert reverse("people:delete_account") in sent_emails[0].body
    assert "Do not delete my account" in client.get(reverse("people:your_data")).content.decode()


def test_not_answering_are_you_sure_is_explained_and_no_answer_keeps_the_account(client_for, member):
    client = client_for(member)
    html = client.post(reverse("people:delete_account"), {}).content.decode()
    assert "Choose yes if you want us to delete your account" in html
    client.post(reverse("people:delete_account"), {"confirm": "no"})
    assert not DeletionRequest.objects.exists()


def test_asking_twice_makes_one_request(client_for, member):
    client = client_for(member)
    client.post(reverse("people:delete_account"), {"confirm": "yes"})
    client.post(reverse("people:delete_account"), {"confirm": "yes"})
    assert DeletionRequest.objects.filter(user=member).count() == 1
    with pytest.raises(services_profiles.DataRightsError):
        services_profiles.request_deletion(user=member)


def test_a_member_cancels_within_the_cooling_off_period(client_for, member, sent_emails):
    client = client_for(member)
    client.post(reverse("people:delete_account"), {"confirm": "yes"})
    response = client.post(reverse("people:delete_cancel"))
    assert response.status_code == 302
    deletion = DeletionRequest.objects.get(user=member)
    assert deletion.cancelled_at is not None and not deletion.is_pending
    assert AuditEntry.objects.filter(action="account.deletion_cancelled", actor=member).exists()
    assert services_profiles.erase_due_accounts(now=timezone.now() + timedelta(days=15)) == 0
    member.refresh_from_db()
    assert member.is_active and member.email == "alice@example.org"


def test_staff_cannot_delete_their_own_account_here(client_for, staff, administrator):
    assert client_for(staff).get(reverse("people:delete_account")).status_code == 403
    assert client_for(administrator).post(reverse("people:delete_account"), {"confirm": "yes"}).status_code == 403
    with pytest.raises(services_profiles.DataRightsError):
        services_profiles.request_deletion(user=staff)


# The erasure job ----------------------------------------------------------------------------------
def _ask(member):
    return services_profiles.request_deletion(user=member)


def test_nothing_is_erased_before_14_days(member, held):
    deletion = _ask(member)
    assert services_profiles.erase_due_accounts(now=deletion.requested_at + timedelta(days=13, hours=23)) == 0
    member.refresh_from_db()
    assert member.is_active and Profile.objects.filter(user=member).exists()


def test_after_14_days_the_person_is_anonymised_and_their_special_category_data_is_gone(member, held, sent_emails):
    deletion = _ask(member)
    sent_emails.clear()
    assert services_profiles.erase_due_accounts(now=deletion.erase_after + timedelta(minutes=1)) == 1
    member.refresh_from_db()
    assert member.name.startswith("Deleted member ") and PROFILE_MARKER not in member.name
    assert member.email.startswith("deleted-") and member.email.endswith("@invalid.invalid")
    assert not member.is_active and not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not Profile.objects.filter(user=member).exists()
    assert not AccessNeeds.objects.filter(user=member).exists()
    assert not EqualityMonitoring.objects.filter(user=member).exists()
    assert not AccessNeeds.objects.filter(other_details=NEEDS_MARKER).exists()
    assert not EqualityMonitoring.objects.filter(postcode_district=POSTCODE_MARKER).exists()
    assert not Profile.objects.filter(preferred_name=PROFILE_MARKER).exists()
    # Free text about them goes; that they took part, and the rung they rated, stay for the figures.
    rating = LadderRating.objects.get(rated_by=member)
    assert rating.comment == "" and rating.level == 6
    assert Participant.objects.get(pk=held["participant"].pk).message == ""
    # Consent history stays as the record of what was agreed.
    assert Consent.objects.filter(user=member).exists()
    assert not AuditEntry.objects.filter(actor=member).exclude(ip_address=None).exists()
    deletion.refresh_from_db()
    assert deletion.completed_at is not None
    erased = AuditEntry.objects.get(action="account.erased")
    assert erased.subject_id == str(deletion.public_id) and erased.detail == ""
    assert [m.to for m in sent_emails] == [["alice@example.org"]]


def test_running_the_job_twice_changes_nothing_the_second_time(member, held):
    deletion = _ask(member)
    later = deletion.erase_after + timedelta(days=1)
    assert services_profiles.erase_due_accounts(now=later) == 1
    member.refresh_from_db()
    first = (member.name, member.email, member.password)
    assert services_profiles.erase_due_accounts(now=later + timedelta(days=1)) == 0
    member.refresh_from_db()
    assert (member.name, member.email, member.password) == first
    assert AuditEntry.objects.filter(action="account.erased").count() == 1


def test_cancelled_requests_are_skipped_and_others_due_are_erased(member, other_member):
    mine = _ask(member)
    services_profiles.cancel_deletion(user=member)
    theirs = _ask(other_member)
    assert services_profiles.erase_due_accounts(now=theirs.erase_after + timedelta(seconds=1)) == 1
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.is_active and not other_member.is_active
    mine.refresh_from_db()
    assert mine.completed_at is None


def test_the_beat_task_runs_the_service(member):
    deletion = _ask(member)
    DeletionRequest.objects.filter(pk=deletion.pk).update(erase_after=timezone.now() - timedelta(minutes=1))
    assert erase_due_accounts.delay().get() == 1
    assert erase_due_accounts.delay().get() == 0
    assert erase_due_accounts.name == "people.tasks.erase_due_accounts"


def test_an_erased_member_cannot_sign_in(client, member, held):
    deletion = _ask(member)
    services_profiles.erase_due_accounts(now=deletion.erase_after)
    credentials = {"login": "alice@example.org", "password": "a-long-test-password-1"}
    response = client.post(reverse("account_login"), credentials)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
