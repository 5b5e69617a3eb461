"""Applying, withdrawing, blind shortlisting and decisions with reasons; the applicant sees why."""

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from people import personal_data
from people import services_opportunities as services
from people.models import (
    AccessNeeds,
    Application,
    ApplicationDecision,
    EqualityMonitoring,
    EqualitySnapshot,
    Opportunity,
)
from programmes.models import Participant, TeamMembership
from tests.conftest import assert_flat_queries, make_person
from tests.people.factories_opportunities import ApplicationFactory, OpportunityFactory
from tests.programmes.factories import ProgrammeFactory, ProjectFactory, days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")


@pytest.fixture
def opportunity(project):
    return OpportunityFactory(project=project, title="Join our breathing group")


def answers_for(opportunity, **extra):
    data = {f"answer_{q.pk}": f"Answer to {q.text}" for q in opportunity.questions.all()}
    data.update(extra)
    return data


def apply_as(client_for, person, opportunity, **extra):
    return client_for(person).post(
        reverse("people:apply", args=[opportunity.public_id]), answers_for(opportunity, **extra)
    )


# Applying -------------------------------------------------------------------------------------------


def test_a_member_applies_and_their_equality_answers_are_copied_as_they_are_now(
    client_for, member, opportunity, sent_emails
):
    EqualityMonitoring.objects.create(user=member, age_band="35_44", ethnicity="asian_indian", carer="yes")
    response = apply_as(client_for, member, opportunity, access_needs="Questions in large print, please.")
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:application_detail", args=[application.public_id])
    assert application.applicant == member and application.number == 1
    assert application.status == Application.Status.SUBMITTED
    assert application.access_needs == "Questions in large print, please."
    assert [a.answer for a in application.answers.all()] == [
        "Answer to Why do you want to join?",
        "Answer to What do you know about lung services?",
    ]
    snapshot = application.equality_snapshot
    assert (snapshot.age_band, snapshot.ethnicity, snapshot.carer, snapshot.sex) == ("35_44", "asian_indian", "yes", "")
    assert snapshot.opportunity == opportunity and not snapshot.shortlisted and not snapshot.selected
    # Later changes to their answers do not change what was counted.
    EqualityMonitoring.objects.filter(user=member).update(age_band="45_54")
    snapshot.refresh_from_db()
    assert snapshot.age_band == "35_44"
    assert len(sent_emails) == 1 and sent_emails[0].to == [member.email]
    assert "Join our breathing group" in sent_emails[0].subject
    assert AuditEntry.objects.filter(action="application.submitted").exists()


def test_a_member_without_equality_answers_is_counted_as_not_answered(client_for, member, opportunity):
    apply_as(client_for, member, opportunity)
    snapshot = EqualitySnapshot.objects.get()
    assert all(getattr(snapshot, name) == "" for name in ("age_band", "sex", "ethnicity", "postcode_district"))


def test_applicants_are_numbered_in_order(client_for, member, other_member, opportunity):
    apply_as(client_for, member, opportunity)
    apply_as(client_for, other_member, opportunity)
    assert list(Application.objects.order_by("number").values_list("applicant__email", "number")) == [
        (member.email, 1),
        (other_member.email, 2),
    ]


def test_a_missing_answer_is_said_next_to_the_question_and_nothing_is_saved(client_for, member, opportunity):
    first = opportunity.questions.first()
    response = apply_as(client_for, member, opportunity, **{f"answer_{first.pk}": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors[f"answer_{first.pk}"] == ["Answer this question"]
    assert not Application.objects.exists() and not EqualitySnapshot.objects.exists()


def test_applying_after_the_closing_date_is_refused(client_for, member, project):
    closed = OpportunityFactory(project=project, closing_date=days_from_today(-1))
    response = apply_as(client_for, member, closed)
    assert response.status_code == 302
    assert not Application.objects.exists()
    # And at the service, if the page was open before it closed:
    with pytest.raises(services.OpportunityError, match="closed"):
        services.apply(opportunity=closed, applicant=member, answers={})


def test_applying_to_a_closed_opportunity_is_refused_with_a_clear_message(client_for, member, project):
    closed = OpportunityFactory(project=project, status=Opportunity.Status.CLOSED)
    response = client_for(member).post(
        reverse("people:apply", args=[closed.public_id]), answers_for(closed), follow=True
    )
    assert "This opportunity is closed. You can no longer apply." in response.content.decode()
    assert not Application.objects.exists()


def test_a_duplicate_application_is_refused(client_for, member, opportunity):
    apply_as(client_for, member, opportunity)
    response = apply_as(client_for, member, opportunity)
    assert response.status_code == 302
    assert Application.objects.count() == 1
    with pytest.raises(services.OpportunityError, match="already applied"):
        services.apply(opportunity=opportunity, applicant=member, answers=answers_dict(opportunity))


def answers_dict(opportunity):
    return {q.pk: "An answer" for q in opportunity.questions.all()}


def test_staff_who_are_not_members_cannot_apply(client_for, staff, opportunity):
    assert client_for(staff).get(reverse("people:apply", args=[opportunity.public_id])).status_code == 403


def test_a_member_withdraws_and_can_apply_again_while_it_is_open(client_for, member, opportunity):
    apply_as(client_for, member, opportunity)
    application = Application.objects.get()
    client = client_for(member)
    assert client.get(reverse("people:application_withdraw", args=[application.public_id])).status_code == 200
    client.post(reverse("people:application_withdraw", args=[application.public_id]))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN and application.withdrawn_at
    apply_as(client_for, member, opportunity)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.withdrawn_at is None
    assert Application.objects.count() == 1 and EqualitySnapshot.objects.count() == 1
    assert application.answers.count() == 2


def test_a_member_sees_their_own_applications_only(client_for, member, other_member, opportunity):
    mine = ApplicationFactory(opportunity=opportunity, applicant=member)
    theirs = ApplicationFactory(
        opportunity=OpportunityFactory(project=opportunity.project, title="Other"), applicant=other_member
    )
    client = client_for(member)
    page = client.get(reverse("people:my_applications")).content.decode()
    assert "Join our breathing group" in page and "Other" not in page
    assert client.get(reverse("people:application_detail", args=[mine.public_id])).status_code == 200
    assert client.get(reverse("people:application_detail", args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("people:application_withdraw", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Application.Status.SUBMITTED


# Blind shortlisting -------------------------------------------------------------------------------


def test_blind_shortlisting_shows_no_name_email_or_access_needs(client_for, staff, member, opportunity):
    AccessNeeds.objects.create(user=member, bsl_interpreter=True)
    ApplicationFactory(opportunity=opportunity, applicant=member, access_needs="A wheelchair-accessible room")
    url = reverse("people:applications", args=[opportunity.public_id])
    page = client_for(staff).get(url).content.decode()
    assert "Applicant 1" in page and "My answer 1" in page
    for secret in (member.name, "Alice", member.email, "alice@", "BSL interpreter", "wheelchair"):
        assert secret not in page, secret
    assert "has told us about access needs" in page
    decide = client_for(staff).get(reverse("people:application_decide", args=[opportunity.public_id])).content.decode()
    assert member.name not in decide and member.email not in decide


def test_after_shortlisting_names_contacts_and_access_needs_are_shown(client_for, staff, member, opportunity):
    AccessNeeds.objects.create(user=member, bsl_interpreter=True)
    application = ApplicationFactory(
        opportunity=opportunity, applicant=member, access_needs="A wheelchair-accessible room"
    )
    services.decide(application=application, outcome="shortlisted", reason="Meets the criteria.", by=staff)
    services.close(opportunity=opportunity, by=staff)
    client = client_for(staff)
    client.post(reverse("people:shortlisting_done", args=[opportunity.public_id]))
    opportunity.refresh_from_db()
    assert opportunity.shortlisting_done_at and opportunity.shortlisting_done_by == staff
    page = client.get(reverse("people:applications", args=[opportunity.public_id])).content.decode()
    assert member.name in page and member.email in page
    assert "BSL interpreter" in page and "wheelchair-accessible" in page


def test_an_opportunity_without_blind_shortlisting_shows_names_at_once(client_for, staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    ApplicationFactory(opportunity=opportunity, applicant=member)
    page = client_for(staff).get(reverse("people:applications", args=[opportunity.public_id])).content.decode()
    assert member.name in page


def test_shortlisting_cannot_finish_while_open_or_with_applications_waiting(client_for, staff, member, opportunity):
    ApplicationFactory(opportunity=opportunity, applicant=member)
    client = client_for(staff)
    response = client.post(reverse("people:shortlisting_done", args=[opportunity.public_id]), follow=True)
    assert "Close the opportunity" in response.content.decode()
    services.close(opportunity=opportunity, by=staff)
    response = client.post(reverse("people:shortlisting_done", args=[opportunity.public_id]), follow=True)
    assert "Decide on every application" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.shortlisting_done_at is None


def test_staff_off_the_programme_cannot_see_applications(client_for, other_staff, leader, member, opportunity):
    ApplicationFactory(opportunity=opportunity, applicant=member)
    url = reverse("people:applications", args=[opportunity.public_id])
    assert client_for(other_staff).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 404
    assert client_for(leader).get(url).status_code == 403
    decide = reverse("people:application_decide", args=[opportunity.public_id])
    assert client_for(other_staff).post(decide, {}).status_code == 404


def test_the_applications_list_makes_the_same_number_of_queries_for_few_or_many(client_for, staff, opportunity):
    client = client_for(staff)

    def add(n):
        for _ in range(n):
            person = make_person(
                f"Applicant {Application.objects.count()}", f"a{Application.objects.count()}@example.org", "Member"
            )
            AccessNeeds.objects.create(user=person, large_print=True)
            application = ApplicationFactory(opportunity=opportunity, applicant=person, access_needs="Large print")
            services.decide(application=application, outcome="shortlisted", reason="Good answers.", by=staff)

    assert_flat_queries(client, reverse("people:applications", args=[opportunity.public_id]), add, few=1, many=8)


def test_a_popular_opportunity_lists_applications_50_a_page_with_counts_for_all(client_for, staff, opportunity):
    for n in range(53):
        ApplicationFactory(opportunity=opportunity, applicant=make_person(f"P{n}", f"p{n}@example.org", "Member"))
    url = reverse("people:applications", args=[opportunity.public_id])
    first = client_for(staff).get(url)
    assert len(first.context["applications"]) == 50 and first.context["waiting"] == 53
    assert [a.number for a in client_for(staff).get(url + "?page=2").context["applications"]] == [51, 52, 53]


# Decisions ----------------------------------------------------------------------------------------


def decide(client, opportunity, application, outcome, reason="Meets the published criteria: lives with COPD."):
    return client.post(
        reverse("people:application_decide", args=[opportunity.public_id]),
        {"application": str(application.public_id), "outcome": outcome, "reason": reason},
    )


def test_a_decision_needs_a_reason(client_for, staff, member, opportunity):
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    response = decide(client_for(staff), opportunity, application, "shortlisted", reason="   ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "Give the reason" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and not ApplicationDecision.objects.exists()


def test_a_tampered_form_cannot_decide_on_another_opportunitys_applicant(
    client_for, staff, member, other_member, opportunity, project
):
    other_opportunity = OpportunityFactory(project=project, title="Another")
    theirs = ApplicationFactory(opportunity=other_opportunity, applicant=other_member)
    ApplicationFactory(opportunity=opportunity, applicant=member)
    response = decide(client_for(staff), opportunity, theirs, "shortlisted")
    assert response.status_code == 200
    assert response.context["form"].errors["application"] == ["Choose an applicant for this opportunity"]
    theirs.refresh_from_db()
    assert theirs.status == Application.Status.SUBMITTED and not ApplicationDecision.objects.exists()


def test_a_withdrawn_application_cannot_be_decided(client_for, staff, member, opportunity):
    application = ApplicationFactory(opportunity=opportunity, applicant=member, status=Application.Status.WITHDRAWN)
    response = decide(client_for(staff), opportunity, application, "shortlisted")
    assert "application" in response.context["form"].errors


def test_nobody_can_be_selected_while_shortlisting_is_blind(client_for, staff, member, opportunity):
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    response = decide(client_for(staff), opportunity, application, "selected")
    assert "outcome" in response.context["form"].errors
    with pytest.raises(Exception, match="Finish shortlisting"):
        services.decide(application=application, outcome="selected", reason="Good", by=staff)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Participant.objects.filter(member=member).exists()


def test_shortlist_then_select_with_reasons_kept_as_history(client_for, staff, member, opportunity, sent_emails):
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    client = client_for(staff)
    assert decide(client, opportunity, application, "shortlisted", "Clear lived experience of COPD.").status_code == 302
    services.close(opportunity=opportunity, by=staff)
    client.post(reverse("people:shortlisting_done", args=[opportunity.public_id]))
    assert decide(client, opportunity, application, "selected", "Strong answers on both questions.").status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    assert application.decision_reason == "Strong answers on both questions."
    history = list(application.decisions.values_list("outcome", "reason", "by"))
    assert history == [
        ("shortlisted", "Clear lived experience of COPD.", staff.pk),
        ("selected", "Strong answers on both questions.", staff.pk),
    ]
    participant = Participant.objects.get(project=opportunity.project, member=member)
    assert participant.status == Participant.Status.ACTIVE
    snapshot = application.equality_snapshot
    assert snapshot.shortlisted and snapshot.selected
    assert [m.to for m in sent_emails] == [[member.email], [member.email]]
    assert "Selected" in sent_emails[-1].subject and "Strong answers on both questions." in sent_emails[-1].body
    assert AuditEntry.objects.filter(action="application.selected").exists()
    # The member sees the outcome and the reason.
    page = client_for(member).get(reverse("people:application_detail", args=[application.public_id])).content.decode()
    assert "Selected" in page and "Strong answers on both questions." in page


def test_selecting_someone_already_invited_makes_them_take_part(staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    Participant.objects.create(project=project, member=member, status=Participant.Status.DECLINED)
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    services.decide(application=application, outcome="selected", reason="Meets the criteria.", by=staff)
    assert Participant.objects.get(project=project, member=member).status == Participant.Status.ACTIVE


def test_a_final_decision_cannot_be_decided_again(staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    services.decide(application=application, outcome="not_selected", reason="Places were filled.", by=staff)
    with pytest.raises(Exception, match="cannot be moved"):
        services.decide(application=application, outcome="selected", reason="Changed our mind.", by=staff)


def test_a_waiting_list_applicant_can_later_be_selected(staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    services.decide(application=application, outcome="waiting_list", reason="Good, but places are full.", by=staff)
    services.decide(application=application, outcome="selected", reason="A place came free.", by=staff)
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    assert application.decisions.count() == 2


def test_the_member_cannot_withdraw_once_selected(client_for, staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    application = ApplicationFactory(opportunity=opportunity, applicant=member)
    services.decide(application=application, outcome="selected", reason="Meets the criteria.", by=staff)
    client_for(member).post(reverse("people:application_withdraw", args=[application.public_id]))
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED


# Personal data ------------------------------------------------------------------------------------


def test_export_holds_applications_answers_outcomes_and_the_equality_copy(staff, member, project):
    opportunity = OpportunityFactory(project=project, blind_shortlisting=False)
    application = ApplicationFactory(opportunity=opportunity, applicant=member, snapshot={"age_band": "25_34"})
    services.decide(application=application, outcome="not_selected", reason="Other people matched better.", by=staff)
    exported = personal_data.export_for(member)["applications"]
    assert exported[0]["opportunity"] == opportunity.title
    assert exported[0]["answers"][0] == {"question": "Why do you want to join?", "answer": "My answer 1"}
    assert exported[0]["decisions"][0]["reason"] == "Other people matched better."
    assert exported[0]["equality_answers_when_you_applied"]["age_band"] == "25_34"


def test_erasure_detaches_the_equality_copy_and_blanks_what_they_wrote(member, other_member, opportunity):
    mine = ApplicationFactory(opportunity=opportunity, applicant=member, access_needs="Large print")
    theirs = ApplicationFactory(opportunity=opportunity, applicant=other_member, access_needs="A break")
    personal_data.SECTIONS["applications"].erase(member)
    assert EqualitySnapshot.objects.count() == 2  # the counts stay
    assert EqualitySnapshot.objects.filter(application__isnull=True).count() == 1
    mine.refresh_from_db()
    assert mine.access_needs == "" and set(mine.answers.values_list("answer", flat=True)) == {""}
    theirs.refresh_from_db()
    assert theirs.access_needs == "A break" and theirs.equality_snapshot
