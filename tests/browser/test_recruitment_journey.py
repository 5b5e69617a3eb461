"""Given/when/then journeys for step 2, open and fair recruitment, with axe on every page."""

import pytest
from django.core import mail

from coproduction.models import User
from people.models import Application, Opportunity
from programmes.models import Participant, TeamMembership
from tests.browser.conftest import TEST_PASSWORD, link_in_email
from tests.people.factories_opportunities import OpportunityFactory, PopulationFigureFactory, TagFactory
from tests.programmes.factories import ProgrammeFactory, ProjectFactory, days_from_today

pytestmark = pytest.mark.browser


@pytest.fixture
def project(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")


def fill_date(portal, field_id, day):
    portal.page.locator(f"#{field_id}-day").fill(str(day.day))
    portal.page.locator(f"#{field_id}-month").fill(str(day.month))
    portal.page.locator(f"#{field_id}-year").fill(str(day.year))


def test_staff_write_an_opportunity_see_its_reading_age_and_publish_it(portal, staff, project):
    TagFactory(name="COPD")
    # Given a member of staff on the programme's team
    portal.sign_in(staff)
    # When they add an opportunity for their project
    portal.visit("/opportunities/manage/")
    portal.click("Add an opportunity for Pulmonary rehab closer to home", role="link")
    portal.fill("Title", "Help us plan breathing classes")
    portal.fill(
        "What you will do",
        "Participants will contribute substantively to the comprehensive redesignation of pulmonary "
        "rehabilitation pathways, facilitating multidisciplinary organisational engagement.",
    )
    portal.fill("Time needed", "2 hours, 4 times")
    portal.page.get_by_label("In person and online", exact=True).check()
    portal.fill("Place (optional)", "Northbrook Library")
    portal.page.get_by_label("Level 2: a one-off workshop or focus group").check()
    portal.page.locator("#id_is_paid_0").check()
    portal.fill("Payment details (optional)", "£25 for each meeting")
    portal.page.get_by_label("Travel costs").check()
    portal.fill("How we will choose people", "You live with a lung condition.")
    portal.fill("Number of places", "6")
    fill_date(portal, "id_closing_date", days_from_today(30))
    portal.fill("Questions for applicants", "Why do you want to join?\nWhat would make classes easier?")
    portal.page.get_by_label("COPD").check()
    portal.fill("Easy Read version (optional)", "We want to make breathing classes better.")
    portal.page.locator("#id_blind_shortlisting_0").check()
    portal.click("Save draft")
    # Then they see how hard it is to read, with a prompt to make it plainer
    content = portal.page.content()
    assert "How easy is this to read?" in content and "Hard to read" in content
    # When they write it plainly and check again
    portal.fill("What you will do", "You will meet us 4 times. We will plan new breathing classes together.")
    portal.click("Check reading age")
    assert "Plain English" in portal.page.content()
    portal.click("Save changes" if "Save changes" in portal.page.content() else "Save draft")
    # And publish it
    portal.visit(f"/opportunities/{Opportunity.objects.get().public_id}/")
    portal.click("Publish")
    opportunity = Opportunity.objects.get()
    assert opportunity.status == Opportunity.Status.OPEN
    assert opportunity.what_you_will_do.startswith("You will meet us 4 times")
    # Then the public can find it
    portal.sign_out()
    portal.visit("/opportunities/")
    assert "Help us plan breathing classes" in portal.page.content()


def test_a_visitor_finds_an_opportunity_registers_applies_and_hears_the_outcome_after_fair_selection(
    portal, staff, project
):
    PopulationFigureFactory(characteristic="sex", category="female", share="51.00")
    opportunity = OpportunityFactory(
        project=project,
        title="Join our breathing group",
        easy_read="We want to hear from you about breathing.",
        closing_date=days_from_today(5),
    )
    question = opportunity.questions.first()
    second_question = opportunity.questions.last()

    # Given a visitor looking for a way to get involved
    portal.visit("/opportunities/")
    portal.page.get_by_label("Closing in the next 2 weeks").check()
    portal.click("Show opportunities")
    # When they open an opportunity and read the Easy Read version
    portal.click("Join our breathing group", role="link")
    portal.click("Read the Easy Read version", role="link")
    assert "We want to hear from you about breathing." in portal.page.content()
    portal.click("Read the standard version", role="link")
    # And register to apply, confirm their email and sign in
    portal.click("Register to apply")
    portal.fill("Your name", "Zoë Ní Bhriain")
    portal.fill("Email address", "zoe@example.org")
    portal.fill("Create a password", TEST_PASSWORD)
    portal.fill("Type the password again", TEST_PASSWORD)
    portal.click("Register")
    portal.visit(link_in_email(mail.outbox[-1]))
    portal.click("Confirm")
    zoe = User.objects.get(email="zoe@example.org")
    portal.sign_in(zoe)
    # And complete their profile, with how they like to be contacted
    portal.visit("/dashboard/")
    portal.click("Tell us about you", role="link")
    portal.page.get_by_label("Email", exact=True).check()
    portal.page.get_by_label("Payment – money paid to me", exact=True).check()
    portal.click("Save")
    assert portal.heading() == "Your profile"
    # And apply, with the support they need to take part
    portal.visit(f"/opportunities/{opportunity.public_id}/")
    portal.click("Apply")
    portal.click("Send my application")
    assert "There is a problem" in portal.page.content()  # the answers are needed
    portal.fill(question.text, "I have lived with COPD for ten years.")
    portal.fill(second_question.text, "The clinic is hard to get to by bus.")
    portal.fill("Do you need any support to take part in choosing people? (optional)", "Large print, please.")
    portal.click("Send my application")
    # Then they see their application, and an email confirms it
    assert "We have your application" in portal.page.content()
    assert mail.outbox[-1].to == ["zoe@example.org"]
    application = Application.objects.get()
    portal.visit("/my-applications/")
    portal.sign_out()

    # When staff shortlist blind
    portal.sign_in(staff)
    portal.visit(f"/opportunities/{opportunity.public_id}/applications/")
    content = portal.page.content()
    assert "Applicant 1" in content and "Zoë" not in content and "zoe@example.org" not in content
    portal.click("Decide on Applicant 1", role="link")
    portal.page.get_by_label("Shortlisted", exact=True).check()
    portal.click("Save decision and tell the applicant")
    assert "Give the reason" in portal.page.content()
    portal.page.get_by_label("Shortlisted", exact=True).check()
    portal.fill("Reason, against the published criteria", "Lives with a lung condition, as the criteria ask.")
    portal.click("Save decision and tell the applicant")
    # And close the opportunity and finish shortlisting
    portal.visit(f"/opportunities/{opportunity.public_id}/")
    portal.click("Close now")
    portal.visit(f"/opportunities/{opportunity.public_id}/applications/")
    portal.click("Shortlisting is done")
    # Then they see who applied, with the support they asked for
    content = portal.page.content()
    assert "Zoë Ní Bhriain" in content and "Large print, please." in content
    # When they select her, with a reason against the criteria
    portal.click("Decide on Applicant 1", role="link")
    portal.page.get_by_label("Selected", exact=True).check()
    portal.fill("Reason, against the published criteria", "Clear answers about getting to the clinic.")
    portal.click("Save decision and tell the applicant")
    assert Participant.objects.get(member=zoe, project=project).status == Participant.Status.ACTIVE
    # And look at the reach report
    portal.visit(f"/opportunities/{opportunity.public_id}/reach/")
    assert "*" in portal.page.content()
    portal.sign_out()

    # Then the member sees the outcome and the reason
    portal.sign_in(zoe)
    portal.visit("/my-applications/")
    portal.click("Join our breathing group", role="link")
    content = portal.page.content()
    assert "Selected" in content and "Clear answers about getting to the clinic." in content
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED


def test_an_administrator_loads_population_figures(portal, administrator, tmp_path):
    csv_file = tmp_path / "figures.csv"
    csv_file.write_text(
        "characteristic,category,share,area,source,as_of\n"
        "sex,female,51.2,Northbrook,Census 2021,2021-03-21\n"
        "sex,robot,48.8,Northbrook,Census 2021,2021-03-21\n"
    )
    portal.sign_in(administrator)
    portal.visit("/population-figures/")
    portal.page.locator("input[type=file]").set_input_files(str(csv_file))
    portal.click("Upload figures")
    assert "Line 3" in portal.page.content() and "Nothing was loaded" in portal.page.content()
    csv_file.write_text(
        "characteristic,category,share,area,source,as_of\n"
        "sex,female,51.2,Northbrook,Census 2021,2021-03-21\n"
        "sex,male,48.8,Northbrook,Census 2021,2021-03-21\n"
    )
    portal.page.locator("input[type=file]").set_input_files(str(csv_file))
    portal.click("Upload figures")
    assert "2 population figures loaded" in portal.page.content()
