"""Given/when/then journeys for step 1, leaders champion it, with axe on every page."""

import datetime

import pytest
from django.core import mail

from programmes.models import ChampionCommitment, SignOffRequest, TeamMembership
from tests.browser.conftest import link_in_email
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


def fill_date(portal, day: datetime.date):
    portal.fill("Day", str(day.day))
    portal.fill("Month", str(day.month))
    portal.fill("Year", str(day.year))


def test_staff_ask_a_leader_to_sign_off_a_plan_the_leader_approves_and_champions_it_publicly(
    portal, staff, leader, programme
):
    # Given a member of staff on the programme's team, signed in with their authenticator code
    portal.sign_in(staff)
    # When they ask a leader to sign off the programme's co-production plan
    portal.visit("/commitments/")
    portal.click("Ask a leader to sign off the plan for Better Breathing", role="link")
    assert portal.heading() == "Ask a leader to sign off this programme’s plan"
    portal.page.get_by_label("Which leader are you asking?").select_option(label="Eve Leader")
    portal.fill("What are you asking them to approve?", "Our plan involves people from the first workshop.")
    portal.click("Send request")
    # Then the request is waiting, and the leader is emailed a link to decide
    assert "We have asked Eve Leader" in portal.page.content()
    assert "Waiting for a decision" in portal.page.content()
    assert mail.outbox[-1].to == [leader.email]
    portal.sign_out()

    # When the leader signs in (with two-step verification) and follows the link
    portal.sign_in(leader)
    portal.visit(link_in_email(mail.outbox[-1]))
    assert portal.heading() == "Sign off this programme’s plan"
    # And approves the plan with a reason
    portal.page.get_by_label("Yes, I approve the plan").check()
    portal.fill("Your reason", "People shape the plan from the start.")
    portal.click("Send my decision")
    # Then the decision is recorded with who, when and why, and the member of staff is told
    sign_off = SignOffRequest.objects.get()
    assert sign_off.status == SignOffRequest.Status.APPROVED and sign_off.decision_reason.startswith("People shape")
    page = portal.page.content()
    assert "You approved the plan" in page and "People shape the plan from the start." in page
    assert mail.outbox[-1].to == [staff.email]

    # When the leader makes a champion commitment for the programme
    portal.visit("/commitments/")
    portal.click("Make a commitment")
    portal.page.get_by_label("What is your commitment for?").select_option(label="Better Breathing")
    portal.fill("What you pledge to do", "I will go to every Better Breathing listening event.")
    fill_date(portal, datetime.date.today() + datetime.timedelta(days=365))
    portal.click("Make my commitment")
    assert ChampionCommitment.objects.get().status == ChampionCommitment.Status.ACTIVE
    portal.sign_out()

    # Then anyone can see it on the public "Our champions" page
    portal.visit("/champions/")
    assert portal.heading() == "Our champions"
    page = portal.page.content()
    assert "Eve Leader" in page and "I will go to every Better Breathing listening event." in page
    assert "Better Breathing" in page


def test_staff_ask_a_leader_to_be_a_champion_and_the_leader_says_yes(portal, staff, leader, programme):
    # Given a member of staff signed in
    portal.sign_in(staff)
    # When they ask a leader to be a champion for the whole system
    portal.visit("/commitments/")
    portal.click("Ask a leader to be a champion")
    portal.page.get_by_label("Which leader are you asking?").select_option(label="Eve Leader")
    portal.fill("Why are you asking?", "Your voice would help every team start early.")
    portal.click("Send request")
    assert mail.outbox[-1].to == [leader.email]
    portal.sign_out()

    # When the leader signs in, says yes, but gives a review date in the past
    portal.sign_in(leader)
    portal.visit(link_in_email(mail.outbox[-1]))
    portal.page.get_by_label("Yes, I will be a champion").check()
    portal.fill("What you pledge to do", "I will ask every board paper how people shaped it.")
    fill_date(portal, datetime.date.today() - datetime.timedelta(days=1))
    portal.fill("Your reason", "Co-production is how we get services right.")
    portal.click("Send my decision")
    # Then they are told what to fix, next to the field, and nothing is saved
    assert "There is a problem" in portal.page.content()
    assert portal.page.locator(".nhsuk-error-message").first.inner_text().endswith("Review date must be in the future")
    assert ChampionCommitment.objects.get().status == ChampionCommitment.Status.REQUESTED
    # When they add it and send again
    fill_date(portal, datetime.date.today() + datetime.timedelta(days=200))
    portal.click("Send my decision")
    # Then they are a champion, with the history shown
    assert "You are now a champion" in portal.page.content()
    assert "Asked" in portal.page.content() and "Approved" in portal.page.content()
    portal.sign_out()
    # And the public page lists them
    portal.visit("/champions/")
    assert "I will ask every board paper how people shaped it." in portal.page.content()
    assert "The whole system" in portal.page.content()
