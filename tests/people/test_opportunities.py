"""Opportunities: staff write and publish them in plain English; anyone can find and read them."""

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from people import services_opportunities as services
from people.models import Opportunity
from people.opportunity_tasks import close_expired_opportunities
from programmes.models import TeamMembership
from tests.conftest import assert_flat_queries
from tests.people.factories_opportunities import OpportunityFactory, TagFactory
from tests.programmes.factories import ProgrammeFactory, ProjectFactory, days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")


def form_data(**overrides):
    closing = days_from_today(30)
    data = {
        "title": "Help us plan breathing classes",
        "what_you_will_do": "You will meet us 4 times. We will plan new breathing classes together.",
        "time_commitment": "2 hours, 4 times",
        "format": "both",
        "place": "Northbrook Library",
        "involvement_level": "2",
        "is_paid": "yes",
        "payment_details": "£25 for each meeting",
        "support": ["offers_travel_support", "offers_carer_support"],
        "support_details": "Tell us what you need.",
        "selection_criteria": "You live with a lung condition.",
        "places": "6",
        "closing_date-day": str(closing.day),
        "closing_date-month": str(closing.month),
        "closing_date-year": str(closing.year),
        "questions": "Why do you want to join?\n\nWhat would make classes easier for you?\n",
        "easy_read": "We want to make breathing classes better.",
        "blind_shortlisting": "yes",
    }
    data.update(overrides)
    return data


# Creating and changing ---------------------------------------------------------------------------


def test_staff_on_the_programme_create_a_draft_with_questions_and_topics(client_for, staff, project):
    tag = TagFactory(name="Asthma")
    response = client_for(staff).post(
        reverse("people:opportunity_create", args=[project.public_id]), form_data(topics=[tag.pk])
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:opportunity_edit", args=[opportunity.public_id]) + "#reading-age"
    assert opportunity.status == Opportunity.Status.DRAFT and opportunity.created_by == staff
    assert opportunity.is_paid and opportunity.offers_travel_support and opportunity.offers_carer_support
    assert not opportunity.offers_access_support
    assert opportunity.blind_shortlisting
    assert [q.text for q in opportunity.questions.all()] == [
        "Why do you want to join?",
        "What would make classes easier for you?",
    ]
    assert list(opportunity.topics.all()) == [tag]
    assert AuditEntry.objects.filter(action="opportunity.created", subject_id=str(opportunity.public_id)).exists()


def test_after_saving_a_draft_staff_see_the_reading_age(client_for, staff, project):
    client = client_for(staff)
    hard = (
        "Participants will contribute substantively to the comprehensive redesignation of pulmonary "
        "rehabilitation pathways, facilitating multidisciplinary organisational engagement."
    )
    client.post(reverse("people:opportunity_create", args=[project.public_id]), form_data(what_you_will_do=hard))
    opportunity = Opportunity.objects.get()
    page = client.get(reverse("people:opportunity_edit", args=[opportunity.public_id])).content.decode()
    assert "How easy is this to read?" in page
    assert "years of schooling" in page
    assert "Hard to read" in page and "Use everyday words instead of" in page


def test_check_reading_age_scores_without_saving(client_for, staff, project):
    response = client_for(staff).post(
        reverse("people:opportunity_create", args=[project.public_id]), form_data(check="1")
    )
    assert response.status_code == 200
    assert "How easy is this to read?" in response.content.decode()
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"closing_date-day": "1", "closing_date-month": "1", "closing_date-year": "2020"},
            "closing_date",
            "Closing date must be today or in the future",
        ),
        ({"format": "in_person", "place": ""}, "place", "Say where it happens"),
        ({"questions": "\n  \n"}, "questions", "Write at least one question"),
        ({"is_paid": "yes", "payment_details": ""}, "payment_details", "Say how much people are paid"),
        ({"places": "0"}, "places", ""),
    ],
)
def test_bad_input_is_said_next_to_the_field_and_nothing_is_saved(
    client_for, staff, project, overrides, field, message
):
    response = client_for(staff).post(
        reverse("people:opportunity_create", args=[project.public_id]), form_data(**overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not Opportunity.objects.exists()


def test_an_online_opportunity_keeps_no_place(client_for, staff, project):
    client_for(staff).post(
        reverse("people:opportunity_create", args=[project.public_id]), form_data(format="online", place="Somewhere")
    )
    assert Opportunity.objects.get().place == ""


def test_questions_are_fixed_once_published(client_for, staff, project):
    opportunity = OpportunityFactory(project=project)
    client_for(staff).post(
        reverse("people:opportunity_edit", args=[opportunity.public_id]),
        form_data(questions="A new question", title="New title"),
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "New title"
    assert [q.text for q in opportunity.questions.all()] == [
        "Why do you want to join?",
        "What do you know about lung services?",
    ]


def test_staff_off_the_programme_cannot_create_or_change(client_for, other_staff, project):
    opportunity = OpportunityFactory(project=project)
    client = client_for(other_staff)
    assert client.get(reverse("people:opportunity_create", args=[project.public_id])).status_code == 404
    assert client.get(reverse("people:opportunity_edit", args=[opportunity.public_id])).status_code == 404
    assert client.post(reverse("people:opportunity_close", args=[opportunity.public_id])).status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN


# Publishing, closing, filling -------------------------------------------------------------------


def test_publish_a_draft(client_for, staff, project):
    opportunity = OpportunityFactory(project=project, status=Opportunity.Status.DRAFT)
    response = client_for(staff).post(reverse("people:opportunity_publish", args=[opportunity.public_id]))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN and opportunity.published_at


def test_a_draft_whose_closing_date_passed_cannot_be_published(client_for, staff, project):
    opportunity = OpportunityFactory(project=project, status=Opportunity.Status.DRAFT, closing_date=days_from_today(-1))
    response = client_for(staff).post(reverse("people:opportunity_publish", args=[opportunity.public_id]), follow=True)
    assert "Change the closing date" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT


def test_a_draft_without_questions_cannot_be_published(staff, project):
    opportunity = OpportunityFactory(project=project, status=Opportunity.Status.DRAFT, questions=[])
    with pytest.raises(services.OpportunityError):
        services.publish(opportunity=opportunity, by=staff)


def test_close_then_fill(client_for, staff, project):
    opportunity = OpportunityFactory(project=project)
    client = client_for(staff)
    client.post(reverse("people:opportunity_close", args=[opportunity.public_id]))
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CLOSED
    client.post(reverse("people:opportunity_fill", args=[opportunity.public_id]))
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.FILLED and opportunity.filled_at
    # A closed opportunity cannot be edited.
    assert client.get(reverse("people:opportunity_edit", args=[opportunity.public_id])).status_code == 302


def test_the_beat_job_closes_opportunities_past_their_closing_date_and_is_safe_twice(project):
    due = OpportunityFactory(project=project, closing_date=days_from_today(-1))
    today = OpportunityFactory(project=project, closing_date=days_from_today(0))
    draft = OpportunityFactory(project=project, closing_date=days_from_today(-3), status=Opportunity.Status.DRAFT)
    assert close_expired_opportunities.delay().get() == 1
    assert close_expired_opportunities() == 0
    for opportunity in (due, today, draft):
        opportunity.refresh_from_db()
    assert due.status == Opportunity.Status.CLOSED and due.closed_at
    assert today.status == Opportunity.Status.OPEN
    assert draft.status == Opportunity.Status.DRAFT
    assert AuditEntry.objects.filter(action="opportunity.closed_at_closing_date").count() == 1


# Public list and detail ---------------------------------------------------------------------------


def test_anyone_can_list_open_opportunities_but_not_drafts_or_closed(client, project):
    OpportunityFactory(project=project, title="Open one")
    OpportunityFactory(project=project, title="Draft one", status=Opportunity.Status.DRAFT)
    OpportunityFactory(project=project, title="Closed one", status=Opportunity.Status.CLOSED)
    OpportunityFactory(project=project, title="Past date", closing_date=days_from_today(-1))
    page = client.get(reverse("people:opportunity_list")).content.decode()
    assert "Open one" in page
    assert "Draft one" not in page and "Closed one" not in page and "Past date" not in page


def test_filters_by_topic_format_paid_and_closing_soon(client, project):
    asthma, copd = TagFactory(name="Asthma"), TagFactory(name="COPD")
    first = OpportunityFactory(
        project=project, title="Asthma online paid", format="online", place="", closing_date=days_from_today(7)
    )
    first.topics.add(asthma)
    second = OpportunityFactory(
        project=project,
        title="COPD in person unpaid",
        format="in_person",
        is_paid=False,
        closing_date=days_from_today(60),
    )
    second.topics.add(copd)
    url = reverse("people:opportunity_list")

    def titles(**params):
        response = client.get(url, params)
        return {o.title for o in response.context["opportunities"]}

    assert titles() == {"Asthma online paid", "COPD in person unpaid"}
    assert titles(topic="asthma") == {"Asthma online paid"}
    assert titles(where="in_person") == {"COPD in person unpaid"}
    assert titles(where="online") == {"Asthma online paid"}
    assert titles(paid="on") == {"Asthma online paid"}
    assert titles(closing_soon="on") == {"Asthma online paid"}
    # A made-up topic is ignored rather than breaking the page.
    assert client.get(url, {"topic": "nonsense"}).status_code == 200


def test_the_list_is_paginated_and_keeps_filters(client, project):
    for n in range(23):
        OpportunityFactory(project=project, title=f"Opportunity {n:02}", is_paid=True)
    response = client.get(reverse("people:opportunity_list"), {"paid": "on", "page": "3"})
    assert len(response.context["opportunities"]) == 3
    page = response.content.decode()
    assert "nhsuk-pagination" in page and "paid=on&amp;page=2" in page


def test_the_list_makes_the_same_number_of_queries_for_few_or_many(client, project):
    tags = [TagFactory(name=f"Tag {n}") for n in range(3)]

    def add(n):
        for _ in range(n):
            OpportunityFactory(project=project).topics.set(tags)

    assert_flat_queries(client, reverse("people:opportunity_list"), add, few=1, many=9)


def test_detail_shows_the_easy_read_version_on_request(client, project):
    opportunity = OpportunityFactory(project=project, easy_read="We want to hear from you.")
    url = reverse("people:opportunity_detail", args=[opportunity.public_id])
    standard = client.get(url).content.decode()
    assert "Read the Easy Read version" in standard and "We want to hear from you." not in standard
    easy = client.get(url, {"version": "easy-read"}).content.decode()
    assert "We want to hear from you." in easy and "Read the standard version" in easy


def test_a_draft_is_hidden_from_the_public_but_previewed_by_its_team(client_for, staff, other_staff, member, project):
    opportunity = OpportunityFactory(project=project, status=Opportunity.Status.DRAFT)
    url = reverse("people:opportunity_detail", args=[opportunity.public_id])
    assert client_for(None).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 404
    assert client_for(other_staff).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 200


def test_visitors_are_asked_to_register_to_apply(client, project):
    opportunity = OpportunityFactory(project=project)
    page = client.get(reverse("people:opportunity_detail", args=[opportunity.public_id])).content.decode()
    assert "Register to apply" in page and "Sign in to apply" in page


def test_staff_see_only_their_programmes_opportunities_to_manage(client_for, staff, other_staff, project):
    OpportunityFactory(project=project, title="Ours")
    OpportunityFactory(title="Someone else's")
    page = client_for(staff).get(reverse("people:opportunity_manage")).content.decode()
    assert "Ours" in page and "Someone else" not in page
    assert "Ours" not in client_for(other_staff).get(reverse("people:opportunity_manage")).content.decode()
