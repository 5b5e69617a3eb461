"""A member says something; staff answer "We did"; the member sees it; a report for the period is
produced, opened (PDF too), published, and shows on the public "We said, We did" page."""

import re
import subprocess
from html import escape
from pathlib import Path

import pytest
from django.utils import timezone

from programmes.models import TeamMembership
from reporting.models import Report, WeDid, YouSaid
from tests.browser.conftest import Portal
from tests.programmes.factories import ParticipantFactory, PartnerFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.browser


def pdfinfo(pdf: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def fill_date(portal, field_id, day):
    portal.page.locator(f"#{field_id}-day").fill(str(day.day))
    portal.page.locator(f"#{field_id}-month").fill(str(day.month))
    portal.page.locator(f"#{field_id}-year").fill(str(day.year))


def choose(portal, label):
    portal.page.get_by_label(label, exact=True).check()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_portal(browser, live_server, portal):
    """Staff in a browser of their own, signed in once (a two-step code cannot be used twice)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Portal(page, live_server.url)
    context.close()


def test_you_said_we_did_from_member_to_published_report(portal, staff_portal, media, member, staff):
    # Given Alice takes part in a project of the Better Breathing programme, which Charlie leads
    programme = ProgrammeFactory(
        partner=PartnerFactory(name="Northbrook Integrated Care Board"), name="Better Breathing"
    )
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member)
    today = timezone.localdate()

    # When Alice tells us the classes are too far away
    portal.sign_in(member)
    portal.visit("/tell-us/")
    portal.page.get_by_label("What is it about?").select_option(label=f"Better Breathing: {project.name}")
    choose(portal, "Getting to services and access")
    portal.fill("What do you want to tell us?", "The classes are two buses away from where I live.")
    portal.click("Send")
    assert portal.heading() == "What you told us"
    assert "Staff have not answered this yet" in portal.page.content()

    # Then Charlie answers it with "We did", and it is done
    staff_portal.sign_in(staff)
    staff_portal.visit(f"/programmes/{programme.public_id}/you-said/")
    assert "Alice Member" in staff_portal.page.content()
    staff_portal.click("Answer", role="link")
    assert staff_portal.page.get_by_label("The classes are two buses away", exact=False).is_checked()
    staff_portal.fill("What we will do", "Run classes at the community centre on the 12 bus route.")
    fill_date(staff_portal, "id_due_date", today)
    choose(staff_portal, "Done")
    staff_portal.page.get_by_label("What happened").fill(
        "Classes now run at Northbrook community centre every Tuesday."
    )
    staff_portal.click("Save “We did”")
    assert "The people who said it will be told" in staff_portal.page.content()
    assert WeDid.objects.get().you_said_items.get() == YouSaid.objects.get()

    # And Alice sees what we did, on her page and as a difference she made
    portal.visit("/what-you-told-us/")
    assert "Classes now run at Northbrook community centre every Tuesday." in portal.page.content()
    portal.visit("/my-recognition/")
    assert "The difference you made" in portal.page.content()
    portal.sign_out()

    # When Charlie produces this month's report now and opens it
    staff_portal.visit("/reports/create/")
    staff_portal.page.get_by_label("Programme", exact=True).select_option(label="Better Breathing")
    fill_date(staff_portal, "id_period_start", today.replace(day=1))
    fill_date(staff_portal, "id_period_end", today)
    staff_portal.click("Produce report")
    content = staff_portal.page.content()
    assert "Your report is ready" in content and "two buses away" in content and "Alice Member" not in content
    report = Report.objects.get()
    with staff_portal.page.expect_download() as download:
        staff_portal.page.get_by_role("link", name="Download this report (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "two buses away" in " ".join(text.split())
    # The PDF's text, as a page, passes axe too: its title, its first heading and real text.
    title = re.search(r"^Title:\s+(.+)$", pdfinfo(pdf), re.M).group(1)
    first, _, rest = text.strip().partition("\n")
    staff_portal.page.set_content(
        f'<html lang="en-GB"><head><title>{escape(title)}</title></head><body><main>'
        f"<h1>{escape(first)}</h1><pre>{escape(rest)}</pre></main></body></html>"
    )
    staff_portal.check_accessibility()
    assert title.startswith("We said, we did: Better Breathing") and "Tagged:          yes" in pdfinfo(pdf)

    # And publishes it with an Easy Read summary
    staff_portal.visit(f"/reports/{report.public_id}/")
    staff_portal.click("Publish this report")
    staff_portal.click("Publish")
    assert "Write the Easy Read summary" in staff_portal.page.content()
    staff_portal.fill("Easy Read summary", "You told us classes were too far away.\nWe moved them nearer to you.")
    staff_portal.click("Publish")
    assert "Published on the" in staff_portal.page.content()

    # Then anyone can read it on the public "We said, We did" page
    portal.visit("/we-said-we-did/")
    portal.click("Better Breathing", role="link")
    content = portal.page.content()
    assert "We moved them nearer to you." in content and "Classes now run at Northbrook community centre" in content
    assert "Alice Member" not in content
    assert len(portal.pages_checked) + len(staff_portal.pages_checked) >= 15


def test_staff_schedule_reports_and_score_the_seven_steps(portal, media, staff, leader):
    # Given Charlie leads a programme with a year of history
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    portal.sign_in(staff)

    # When he creates a quarterly schedule that emails Eve too
    portal.visit("/reports/")
    portal.click("Create a report schedule")
    portal.page.get_by_label("Programme", exact=True).select_option(label="Better Breathing")
    choose(portal, "Every quarter (3 months)")
    fill_date(portal, "id_starts_on", timezone.localdate().replace(month=1, day=1))
    choose(portal, leader.name)
    portal.click("Create schedule")
    assert "Better Breathing: every quarter (3 months)" in portal.page.content()
    assert leader.name in portal.page.content()

    # And scores the programme against the seven steps
    portal.visit(f"/programmes/{programme.public_id}/review/")
    portal.click("Add a self-assessment")
    for step in range(1, 8):
        portal.page.locator(f"#id_score_{step}_2").check()
        portal.page.locator(f"#id_evidence_{step}").fill(f"What shows step {step}")
    portal.click("Save self-assessment")
    content = portal.page.content()
    assert "Self-assessment saved" in content and "Self-assessment scores over time" in content

    # Then the whole system's review shows the programme's latest scores
    portal.visit("/review/")
    assert "Better Breathing" in portal.page.content()
