"""Step 1, leaders champion it: commitments and sign-off requests — the rules, then the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from coproduction.roles import Role
from programmes import champions
from programmes.champions import DecisionError
from programmes.models import ChampionCommitment, LeaderDecision, SignOffRequest, TeamMembership
from tests.conftest import assert_flat_queries, make_person
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

Status = ChampionCommitment.Status
SignOff = SignOffRequest.Status
Action = LeaderDecision.Action


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def date_parts(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.fixture
def programme(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


@pytest.fixture
def other_leader(db):
    return make_person("Olu Leader", "olu@example.org", Role.LEADER)


@pytest.fixture
def asked(staff, leader, programme):
    return champions.request_commitment(by=staff, leader=leader, programme=programme, message="Please champion us.")


@pytest.fixture
def sign_off(staff, leader, programme):
    return champions.request_sign_off(programme=programme, leader=leader, by=staff, message="Please approve our plan.")


def make(leader, *, programme=None, days=200, pledge="I will bring lived experience to every board meeting."):
    return champions.make_commitment(leader=leader, programme=programme, pledge=pledge, review_date=in_days(days))


def actions(item) -> list[str]:
    return list(item.history.values_list("action", flat=True))


# Commitments: the rules ---------------------------------------------------------------------------


def test_leader_makes_a_commitment_that_is_current_with_its_history_and_audit(leader):
    commitment = make(leader)
    assert commitment.status == Status.ACTIVE and commitment.decided_at is not None
    step = commitment.history.get()
    assert (step.action, step.by) == (Action.MADE, leader)
    assert AuditEntry.objects.filter(action="champion.commitment_made", actor=leader).count() == 1


def test_a_commitment_with_a_review_date_in_the_past_is_refused_and_nothing_saved(leader):
    with pytest.raises(ValidationError) as error:
        champions.make_commitment(leader=leader, programme=None, pledge="I will.", review_date=in_days(-1))
    assert "review_date" in error.value.message_dict
    assert not ChampionCommitment.objects.exists() and not LeaderDecision.objects.exists()


def test_only_leaders_make_commitments(staff):
    with pytest.raises(DecisionError):
        make(staff)
    assert not ChampionCommitment.objects.exists()


def test_staff_asks_a_leader_who_is_emailed_a_link_to_decide(staff, leader, programme, sent_emails):
    commitment = champions.request_commitment(by=staff, leader=leader, programme=programme, message="Please.")
    assert commitment.status == Status.REQUESTED and commitment.requested_by == staff
    assert [(s.action, s.by, s.reason) for s in commitment.history.all()] == [(Action.REQUESTED, staff, "Please.")]
    assert AuditEntry.objects.filter(action="champion.commitment_requested", actor=staff).count() == 1
    assert len(sent_emails) == 1 and sent_emails[0].to == [leader.email]
    assert reverse("programmes:commitment_decide", args=[commitment.public_id]) in sent_emails[0].body


def test_a_request_must_go_to_a_leader_other_than_yourself(staff, leader, member):
    with pytest.raises(ValidationError):
        champions.request_commitment(by=staff, leader=member, programme=None, message="")
    with pytest.raises(ValidationError):
        champions.request_commitment(by=leader, leader=leader, programme=None, message="")
    assert not ChampionCommitment.objects.exists()


def test_leader_approves_writing_the_pledge_and_review_date_and_the_asker_is_told(asked, leader, staff, sent_emails):
    champions.decide_commitment(
        commitment=asked, by=leader, approve=True, reason="Glad to.", pledge="I will chair it.", review_date=in_days(90)
    )
    asked.refresh_from_db()
    assert (asked.status, asked.pledge, asked.review_date) == (Status.ACTIVE, "I will chair it.", in_days(90))
    assert asked.decision_reason == "Glad to." and asked.decided_at is not None
    assert actions(asked) == [Action.REQUESTED, Action.APPROVED]
    assert asked.history.last().by == leader
    assert AuditEntry.objects.filter(action="champion.commitment_approved", actor=leader).count() == 1
    assert sent_emails[-1].to == [staff.email] and "said yes" in sent_emails[-1].subject


def test_leader_declines_with_a_reason(asked, leader, staff, sent_emails):
    champions.decide_commitment(commitment=asked, by=leader, approve=False, reason="I already champion three.")
    asked.refresh_from_db()
    assert asked.status == Status.DECLINED and asked.decision_reason == "I already champion three."
    assert asked.history.last().reason == "I already champion three."
    assert sent_emails[-1].to == [staff.email] and "I already champion three." in sent_emails[-1].body


def test_declining_without_a_reason_is_refused_and_changes_nothing(asked, leader):
    with pytest.raises(ValidationError) as error:
        champions.decide_commitment(commitment=asked, by=leader, approve=False, reason="   ")
    assert "reason" in error.value.message_dict
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED and actions(asked) == [Action.REQUESTED]


def test_approving_with_a_past_review_date_is_refused_and_changes_nothing(asked, leader):
    with pytest.raises(ValidationError):
        champions.decide_commitment(
            commitment=asked, by=leader, approve=True, pledge="I will.", review_date=in_days(-3)
        )
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED and asked.pledge == ""


def test_a_second_decision_is_refused_with_a_clear_error_and_changes_nothing(asked, leader):
    stale = ChampionCommitment.objects.get(pk=asked.pk)
    champions.decide_commitment(commitment=asked, by=leader, approve=True, pledge="I will.", review_date=in_days(60))
    for copy in (asked, stale):  # the same object, and a copy read before the first decision
        with pytest.raises(DecisionError, match="already been decided"):
            champions.decide_commitment(commitment=copy, by=leader, approve=False, reason="Changed my mind.")
    asked.refresh_from_db()
    assert asked.status == Status.ACTIVE and actions(asked) == [Action.REQUESTED, Action.APPROVED]
    assert not AuditEntry.objects.filter(action="champion.commitment_declined").exists()


def test_leader_cannot_decide_request_for_another_leader(asked, other_leader):
    with pytest.raises(DecisionError):
        champions.decide_commitment(commitment=asked, by=other_leader, approve=False, reason="Not mine.")
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED


def test_staff_withdraws_their_waiting_request_and_the_leader_is_told(asked, staff, leader, sent_emails):
    champions.withdraw_commitment(commitment=asked, by=staff, reason="We found another champion.")
    asked.refresh_from_db()
    assert asked.status == Status.WITHDRAWN and asked.history.last().by == staff
    assert sent_emails[-1].to == [leader.email]


def test_staff_cannot_withdraw_a_request_the_leader_has_decided(asked, staff, leader):
    champions.decide_commitment(commitment=asked, by=leader, approve=False, reason="No time.")
    with pytest.raises(DecisionError, match="already decided"):
        champions.withdraw_commitment(commitment=asked, by=staff, reason="Too late.")
    asked.refresh_from_db()
    assert asked.status == Status.DECLINED


def test_leader_withdraws_their_commitment_but_only_with_a_reason(leader):
    commitment = make(leader)
    with pytest.raises(ValidationError):
        champions.withdraw_commitment(commitment=commitment, by=leader, reason="")
    commitment.refresh_from_db()
    assert commitment.status == Status.ACTIVE
    champions.withdraw_commitment(commitment=commitment, by=leader, reason="I am leaving the ICB.")
    commitment.refresh_from_db()
    assert commitment.status == Status.WITHDRAWN and actions(commitment) == [Action.MADE, Action.WITHDRAWN]
    with pytest.raises(DecisionError):
        champions.withdraw_commitment(commitment=commitment, by=leader, reason="Again.")


def test_a_leader_declines_a_request_rather_than_withdrawing_it(asked, leader):
    with pytest.raises(DecisionError, match="decide on it instead"):
        champions.withdraw_commitment(commitment=asked, by=leader, reason="No.")


def test_leader_renews_a_lapsed_commitment_with_a_new_review_date(leader):
    commitment = make(leader, days=10)
    champions.review_commitments(today=in_days(11))
    commitment.refresh_from_db()
    assert commitment.status == Status.LAPSED
    champions.renew_commitment(commitment=commitment, by=leader, review_date=in_days(300), reason="Still on it.")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.review_date) == (Status.ACTIVE, in_days(300))
    assert actions(commitment) == [Action.MADE, Action.LAPSED, Action.RENEWED]


def test_only_the_leader_renews_and_never_a_withdrawn_commitment(leader, other_leader):
    commitment = make(leader)
    with pytest.raises(DecisionError):
        champions.renew_commitment(commitment=commitment, by=other_leader, review_date=in_days(300))
    champions.withdraw_commitment(commitment=commitment, by=leader, reason="Stopping.")
    with pytest.raises(DecisionError):
        champions.renew_commitment(commitment=commitment, by=leader, review_date=in_days(300))


# Sign-off: the rules ------------------------------------------------------------------------------


def test_staff_ask_a_leader_for_sign_off_and_the_leader_is_emailed(staff, leader, programme, sent_emails):
    sign_off = champions.request_sign_off(programme=programme, leader=leader, by=staff, message="Our plan.")
    assert sign_off.status == SignOff.WAITING and actions(sign_off) == [Action.REQUESTED]
    assert AuditEntry.objects.filter(action="signoff.requested", actor=staff).count() == 1
    assert sent_emails[-1].to == [leader.email]
    assert reverse("programmes:signoff_decide", args=[sign_off.public_id]) in sent_emails[-1].body


def test_the_same_leader_is_not_asked_twice_while_waiting(sign_off, staff, leader, programme):
    with pytest.raises(ValidationError) as error:
        champions.request_sign_off(programme=programme, leader=leader, by=staff, message="Again.")
    assert "leader" in error.value.message_dict
    assert SignOffRequest.objects.count() == 1


def test_leader_approves_a_sign_off_and_the_asker_is_told(sign_off, leader, staff, sent_emails):
    champions.decide_sign_off(sign_off=sign_off, by=leader, approve=True, reason="A strong plan.")
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.APPROVED and sign_off.decision_reason == "A strong plan."
    assert [(s.action, s.by) for s in sign_off.history.all()] == [(Action.REQUESTED, staff), (Action.APPROVED, leader)]
    assert AuditEntry.objects.filter(action="signoff.approved", actor=leader).count() == 1
    assert sent_emails[-1].to == [staff.email] and "approved" in sent_emails[-1].subject


def test_declining_a_sign_off_needs_a_reason(sign_off, leader):
    with pytest.raises(ValidationError):
        champions.decide_sign_off(sign_off=sign_off, by=leader, approve=False, reason="")
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.WAITING and actions(sign_off) == [Action.REQUESTED]


def test_a_sign_off_cannot_be_decided_twice(sign_off, leader):
    stale = SignOffRequest.objects.get(pk=sign_off.pk)
    champions.decide_sign_off(sign_off=sign_off, by=leader, approve=False, reason="Involve people earlier.")
    with pytest.raises(DecisionError, match="already been decided"):
        champions.decide_sign_off(sign_off=stale, by=leader, approve=True)
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.DECLINED and len(actions(sign_off)) == 2


def test_another_leader_cannot_decide_a_sign_off(sign_off, other_leader):
    with pytest.raises(DecisionError):
        champions.decide_sign_off(sign_off=sign_off, by=other_leader, approve=True)


def test_only_the_asker_withdraws_a_waiting_sign_off_request(sign_off, staff, leader, sent_emails):
    with pytest.raises(DecisionError):
        champions.withdraw_sign_off(sign_off=sign_off, by=leader, reason="No.")
    champions.withdraw_sign_off(sign_off=sign_off, by=staff, reason="The plan is changing.")
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.WITHDRAWN and sent_emails[-1].to == [leader.email]
    with pytest.raises(DecisionError):
        champions.decide_sign_off(sign_off=sign_off, by=leader, approve=True)


# Pages: who may use them --------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, asked, sign_off):
    for url in [
        reverse("programmes:commitment_list"),
        reverse("programmes:commitment_decide", args=[asked.public_id]),
        reverse("programmes:signoff_decide", args=[sign_off.public_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_leader_cannot_decide_request_for_another_leader_page_is_not_found(client_for, asked, sign_off, other_leader):
    client = client_for(other_leader)
    for name, item in [("commitment", asked), ("signoff", sign_off)]:
        for action in ("detail", "decide"):
            url = reverse(f"programmes:{name}_{action}", args=[item.public_id])
            assert client.get(url).status_code == 404
        url = reverse(f"programmes:{name}_decide", args=[item.public_id])
        assert client.post(url, {"decision": "no", "reason": "Not mine"}).status_code == 404
    asked.refresh_from_db()
    sign_off.refresh_from_db()
    assert asked.status == Status.REQUESTED and sign_off.status == SignOff.WAITING
    # Nor do they see it in their list.
    assert "Better Breathing" not in client.get(reverse("programmes:commitment_list")).content.decode()


def test_the_asker_and_the_administrator_may_look_but_not_decide(client_for, asked, staff, administrator):
    for person in (staff, administrator):
        client = client_for(person)
        assert client.get(reverse("programmes:commitment_detail", args=[asked.public_id])).status_code == 200
        url = reverse("programmes:commitment_decide", args=[asked.public_id])
        assert client.post(url, {"decision": "no", "reason": "Not for me to say"}).status_code == 403
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED


def test_staff_off_the_programme_cannot_ask_for_its_sign_off(client_for, other_staff, leader, programme):
    url = reverse("programmes:signoff_request", args=[programme.public_id])
    response = client_for(other_staff).post(url, {"leader": leader.pk, "message": "Please"})
    assert response.status_code == 404 and not SignOffRequest.objects.exists()


def test_staff_cannot_ask_about_a_programme_they_are_not_on(client_for, other_staff, leader, programme):
    response = client_for(other_staff).post(
        reverse("programmes:commitment_request"), {"leader": leader.pk, "programme": programme.pk, "message": "Please"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ChampionCommitment.objects.exists()


# Pages: doing things ------------------------------------------------------------------------------


def test_leader_makes_a_commitment_in_the_portal(client_for, leader, programme):
    response = client_for(leader).post(
        reverse("programmes:commitment_create"),
        {
            "programme": programme.pk,
            "pledge": "I will join the listening events.",
            **date_parts("review_date", in_days(365)),
        },
    )
    commitment = ChampionCommitment.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "programmes:commitment_detail", args=[commitment.public_id]
    )
    assert (commitment.leader, commitment.programme, commitment.status) == (leader, programme, Status.ACTIVE)
    assert AuditEntry.objects.filter(action="champion.commitment_made").exists()


def test_a_past_review_date_gets_an_error_next_to_the_field_and_nothing_is_saved(client_for, leader):
    response = client_for(leader).post(
        reverse("programmes:commitment_create"), {"pledge": "I will.", **date_parts("review_date", in_days(-1))}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Review date must be in the future" in html and 'href="#id_review_date-day"' in html
    assert "nhsuk-form-group--error" in html
    assert not ChampionCommitment.objects.exists()


def test_staff_asks_for_a_commitment_in_the_portal(client_for, staff, leader, programme, sent_emails):
    response = client_for(staff).post(
        reverse("programmes:commitment_request"),
        {"leader": leader.pk, "programme": programme.pk, "message": "Please champion Better Breathing."},
    )
    commitment = ChampionCommitment.objects.get()
    assert response.status_code == 302
    assert (commitment.status, commitment.requested_by, commitment.programme) == (Status.REQUESTED, staff, programme)
    assert sent_emails[-1].to == [leader.email]
    assert AuditEntry.objects.filter(action="champion.commitment_requested", actor=staff).exists()


def test_leader_approves_a_request_in_the_portal(client_for, asked, leader, staff, sent_emails):
    response = client_for(leader).post(
        reverse("programmes:commitment_decide", args=[asked.public_id]),
        {
            "decision": "yes",
            "pledge": "I will chair the panel.",
            "reason": "It matters.",
            **date_parts("review_date", in_days(100)),
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.pledge, asked.review_date) == (Status.ACTIVE, "I will chair the panel.", in_days(100))
    assert sent_emails[-1].to == [staff.email]
    assert AuditEntry.objects.filter(action="champion.commitment_approved", actor=leader).exists()
    page = client_for(leader).get(response.url).content.decode()
    assert "Approved" in page and "I will chair the panel." in page  # the history shows the decision


def test_declining_with_no_reason_shows_the_error_by_the_reason_box(client_for, asked, leader):
    response = client_for(leader).post(
        reverse("programmes:commitment_decide", args=[asked.public_id]), {"decision": "no", "reason": " "}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Give a reason for your decision" in html and 'href="#id_reason"' in html
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED and actions(asked) == [Action.REQUESTED]


def test_saying_no_needs_only_a_reason(client_for, asked, leader, staff, sent_emails):
    response = client_for(leader).post(
        reverse("programmes:commitment_decide", args=[asked.public_id]),
        {"decision": "no", "pledge": "", "reason": "I champion three programmes already."},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.DECLINED and asked.decision_reason == "I champion three programmes already."
    assert sent_emails[-1].to == [staff.email]


def test_saying_yes_needs_a_pledge_and_a_future_review_date(client_for, asked, leader):
    response = client_for(leader).post(
        reverse("programmes:commitment_decide", args=[asked.public_id]),
        {"decision": "yes", "pledge": "", **date_parts("review_date", in_days(-5))},
    )
    html = response.content.decode()
    assert "Write what you pledge to do" in html and "Review date must be in the future" in html
    asked.refresh_from_db()
    assert asked.status == Status.REQUESTED


def test_a_decision_on_an_already_decided_request_shows_a_clear_error(client_for, asked, leader):
    champions.decide_commitment(commitment=asked, by=leader, approve=False, reason="Not now.")
    client = client_for(leader)
    response = client.post(
        reverse("programmes:commitment_decide", args=[asked.public_id]),
        {"decision": "yes", "pledge": "I will.", **date_parts("review_date", in_days(50))},
        follow=True,
    )
    assert response.status_code == 200
    assert "already been decided" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.DECLINED and actions(asked) == [Action.REQUESTED, Action.DECLINED]


def test_staff_ask_for_sign_off_and_the_leader_approves_in_the_portal(
    client_for, staff, leader, programme, sent_emails
):
    response = client_for(staff).post(
        reverse("programmes:signoff_request", args=[programme.public_id]),
        {"leader": leader.pk, "message": "Please approve the Better Breathing plan."},
    )
    sign_off = SignOffRequest.objects.get()
    assert response.status_code == 302 and sign_off.requested_by == staff
    assert sent_emails[-1].to == [leader.email]
    response = client_for(leader).post(
        reverse("programmes:signoff_decide", args=[sign_off.public_id]), {"decision": "yes", "reason": "Good plan."}
    )
    assert response.status_code == 302
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.APPROVED and sent_emails[-1].to == [staff.email]
    assert AuditEntry.objects.filter(action="signoff.approved", actor=leader).exists()
    # The programme team can follow it, with its history.
    page = client_for(staff).get(reverse("programmes:signoff_detail", args=[sign_off.public_id])).content.decode()
    assert "Good plan." in page and "Eve Leader" in page


def test_a_sign_off_decided_twice_shows_a_clear_error(client_for, sign_off, leader):
    champions.decide_sign_off(sign_off=sign_off, by=leader, approve=True)
    response = client_for(leader).post(
        reverse("programmes:signoff_decide", args=[sign_off.public_id]),
        {"decision": "no", "reason": "Changed my mind"},
        follow=True,
    )
    assert "already been decided" in response.content.decode()
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.APPROVED


def test_withdrawing_needs_a_reason_then_keeps_the_history(client_for, sign_off, staff):
    url = reverse("programmes:signoff_withdraw", args=[sign_off.public_id])
    response = client_for(staff).post(url, {"reason": ""})
    assert response.status_code == 200 and "Say why you are withdrawing it" in response.content.decode()
    response = client_for(staff).post(url, {"reason": "Plan is being rewritten."})
    assert response.status_code == 302
    sign_off.refresh_from_db()
    assert sign_off.status == SignOff.WITHDRAWN and actions(sign_off) == [Action.REQUESTED, Action.WITHDRAWN]


def test_leader_withdraws_and_renews_in_the_portal(client_for, leader):
    commitment = make(leader)
    client = client_for(leader)
    url = reverse("programmes:commitment_renew", args=[commitment.public_id])
    response = client.post(url, {"pledge": commitment.pledge, **date_parts("review_date", in_days(400))})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.review_date == in_days(400)
    response = client.post(
        reverse("programmes:commitment_withdraw", args=[commitment.public_id]), {"reason": "Retiring."}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == Status.WITHDRAWN
    assert actions(commitment) == [Action.MADE, Action.RENEWED, Action.WITHDRAWN]


# Lists and the public page ------------------------------------------------------------------------


def test_champions_page_lists_current_commitments_only_without_email_addresses(client, leader, other_leader, asked):
    make(leader, pledge="I will listen first.")
    gone = make(other_leader, pledge="A pledge I took back.")
    champions.withdraw_commitment(commitment=gone, by=other_leader, reason="Moving on.")
    html = client.get(reverse("programmes:champions")).content.decode()
    assert "I will listen first." in html and "The whole system" in html and "Eve Leader" in html
    assert "A pledge I took back." not in html and "Please champion us." not in html
    assert leader.email not in html


def test_champions_page_query_count_is_flat(client, programme):
    def add_rows(n):
        for _ in range(n):
            person = make_person("A Leader", f"leader{ChampionCommitment.objects.count()}@example.org", Role.LEADER)
            make(person, programme=programme)

    assert_flat_queries(client, reverse("programmes:champions"), add_rows, few=1, many=8)


def test_commitment_list_query_count_is_flat_for_a_leader(client_for, leader, staff, programme):
    def add_rows(n):
        for _ in range(n):
            make(leader, programme=programme)
            champions.request_commitment(by=staff, leader=leader, programme=programme, message="Please.")
            other = ProgrammeFactory()
            champions.request_sign_off(programme=other, leader=leader, by=staff, message="Please.")

    assert_flat_queries(client_for(leader), reverse("programmes:commitment_list"), add_rows, few=1, many=6)


def test_commitment_list_query_count_is_flat_for_staff(client_for, staff, programme):
    def add_rows(n):
        for _ in range(n):
            person = make_person("A Leader", f"leader{ChampionCommitment.objects.count()}@example.org", Role.LEADER)
            champions.request_commitment(by=staff, leader=person, programme=programme, message="Please.")
            champions.request_sign_off(programme=programme, leader=person, by=staff, message="Please.")

    assert_flat_queries(client_for(staff), reverse("programmes:commitment_list"), add_rows, few=1, many=6)


def test_leader_sees_what_waits_for_them_and_staff_see_what_they_sent(client_for, asked, sign_off, leader, staff):
    leader_page = client_for(leader).get(reverse("programmes:commitment_list")).content.decode()
    assert "Requests waiting for your decision" in leader_page
    assert reverse("programmes:commitment_decide", args=[asked.public_id]) in leader_page
    assert reverse("programmes:signoff_decide", args=[sign_off.public_id]) in leader_page
    staff_page = client_for(staff).get(reverse("programmes:commitment_list")).content.decode()
    assert (
        "Requests you have sent" in staff_page and "Asked for" in staff_page and "Waiting for a decision" in staff_page
    )
    assert "Requests waiting for your decision" not in staff_page


def test_members_and_finance_have_no_commitments_page(client_for, member, finance):
    for person in (member, finance):
        assert client_for(person).get(reverse("programmes:commitment_list")).status_code == 403


def test_leader_dashboard_counts_requests_waiting(client_for, asked, sign_off, leader, staff):
    import programmes.champion_panels  # noqa: F401  (registered from ProgrammesConfig.ready in the app)

    html = client_for(leader).get(reverse("dashboard")).content.decode()
    assert "2 requests are waiting for you to decide." in html
    assert "Requests waiting for your decision" not in client_for(staff).get(reverse("dashboard")).content.decode()


def test_administrators_see_commitments_and_their_history_in_the_django_admin(
    client_for, administrator, asked, sign_off
):
    from django.contrib import admin

    if not admin.site.is_registered(ChampionCommitment):
        pytest.skip("programmes/admin.py does not import programmes.champion_admin yet")
    client = client_for(administrator)
    for url in (
        reverse("admin:programmes_championcommitment_changelist"),
        reverse("admin:programmes_championcommitment_change", args=[asked.pk]),
        reverse("admin:programmes_signoffrequest_change", args=[sign_off.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        "Please champion us."
        in client.get(reverse("admin:programmes_championcommitment_change", args=[asked.pk])).content.decode()
    )
