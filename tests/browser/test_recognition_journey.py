"""A member logs time and claims mileage with a receipt; staff confirm and approve; finance batches,
exports and pays; the member sees it, downloads a certificate; anyone can check the certificate."""

import csv
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from programmes.models import InvolvementPoint, TeamMembership
from recognition.models import Certificate, InvolvementLog, PaymentBatch, Receipt, Reward
from tests.programmes.factories import (
    InvolvementPointFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    days_from_today,
)
from tests.recognition.factories import default_rate_card, expense_policy, level, png_bytes

pytestmark = pytest.mark.browser


def fill_date(portal, field_id, day):
    portal.page.locator(f"#{field_id}-day").fill(str(day.day))
    portal.page.locator(f"#{field_id}-month").fill(str(day.month))
    portal.page.locator(f"#{field_id}-year").fill(str(day.year))


def choose(portal, label):
    portal.page.get_by_label(label, exact=True).check()


@pytest.fixture
def setting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_rate_card()
    expense_policy()
    return settings


def test_time_and_mileage_go_from_member_to_payroll_and_back_as_recognition(portal, setting, member, staff, finance):
    # Given a project that Alice takes part in at level 3 (£15 an hour)
    programme = ProgrammeFactory(
        partner=PartnerFactory(name="Northbrook Integrated Care Board"), name="Better Breathing"
    )
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member, involvement_level=level(3))
    InvolvementPointFactory(
        project=project,
        title="Design workshop",
        planned_date=days_from_today(-3),
        status=InvolvementPoint.Status.HAPPENED,
    )

    # When Alice logs two and a half hours of a working group meeting
    portal.sign_in(member)
    portal.visit("/involvement/log/")
    portal.page.get_by_label("Project", exact=True).select_option(label=project.name)
    fill_date(portal, "id_date", days_from_today(-2))
    choose(portal, "Meeting")
    portal.fill("Hours", "2")
    portal.fill("Minutes", "30")
    choose(portal, "Payment – money paid to me through payroll")
    portal.click("Log time")
    assert portal.heading() == "My involvement"
    assert "Waiting for staff to confirm" in portal.page.content()

    # And claims her mileage, with a photo of her parking ticket as the receipt
    portal.visit("/expenses/create/")
    portal.page.get_by_label("Which project were the costs for?").select_option(label=project.name)
    portal.click("Continue")
    assert portal.heading() == "Add a cost"
    choose(portal, "Car mileage")
    fill_date(portal, "id_date", days_from_today(-2))
    portal.fill("What was it?", "Drove to the community centre and back.")
    portal.fill("Miles driven (optional)", "18.4")
    portal.page.locator("input[type=file]").set_input_files(
        {"name": "parking-ticket.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    portal.click("Add this cost")
    assert "£8.28" in portal.page.content()
    portal.click("Send claim")
    assert "Waiting for staff to check" in portal.page.content()
    portal.sign_out()

    # Then staff confirm the time and approve the mileage, seeing the receipt
    portal.sign_in(staff)
    portal.visit("/approvals/")
    portal.click("Review", role="link")
    assert "they will be owed £37.50" in portal.page.content()
    choose(portal, "Confirm the time")
    portal.click("Save decision")
    assert "Time confirmed" in portal.page.content()
    portal.click("Check the claim from", role="link")
    with portal.page.expect_download() as receipt_download:
        portal.page.get_by_role("link", name="Download parking-ticket.png").click()
    assert Path(receipt_download.value.path()).read_bytes() == png_bytes()
    portal.click("Check this cost", role="link")
    choose(portal, "Approve")
    portal.click("Save decision")
    assert "Cost approved" in portal.page.content()
    portal.sign_out()

    # And finance build a batch, export it for payroll and mark it paid
    portal.sign_in(finance)
    portal.visit("/payments/")
    portal.click("Build a payment batch")
    portal.click("Build batch")
    batch = PaymentBatch.objects.get()
    assert portal.heading() == batch.reference
    portal.click("Export for payroll")
    with portal.page.expect_download() as csv_download:
        portal.page.get_by_role("link", name=f"Download the payroll file for {batch.reference} (CSV)").click()
    with open(csv_download.value.path(), newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["full_name"] == member.name
    assert (rows[0]["involvement_payments_taxable_gbp"], rows[0]["expenses_not_taxable_gbp"]) == ("37.50", "8.28")
    portal.click("Mark as paid")
    assert "is marked as paid" in portal.page.content()
    portal.sign_out()

    # Then Alice sees her paid reward and expense, and downloads a certificate
    portal.sign_in(member)
    portal.visit("/my-recognition/")
    content = portal.page.content()
    assert "2.5 hours, from 1 activity" in content and "Paid" in content
    portal.click("Get a certificate")
    certificate = Certificate.objects.get(member=member)
    assert certificate.display_code in portal.page.content()
    with portal.page.expect_download() as pdf_download:
        portal.page.get_by_role("link", name="Download your certificate of").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert member.name in text and certificate.display_code in text
    portal.sign_out()

    # And anyone can check the certificate is real
    portal.visit("/certificates/check/")
    portal.fill("Certificate code", certificate.display_code)
    portal.click("Check certificate")
    content = portal.page.content()
    assert "This certificate is real" in content and member.name in content
    assert member.email not in content

    # The money is exactly as the rules say, and nothing was paid twice
    assert InvolvementLog.objects.get(member=member).status == "confirmed"
    assert [r.amount for r in Reward.objects.all()] == [Decimal("37.50")]
    assert Reward.objects.get().batch == batch and PaymentBatch.objects.get().status == "paid"
    assert Receipt.objects.count() == 1
    assert len(portal.pages_checked) >= 20


def test_staff_record_attendance_correct_a_reward_and_see_totals(portal, setting, member, other_member, staff, leader):
    # Given a workshop that happened, with two people taking part
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    project = ProjectFactory(programme=programme, lead=staff, name="Pulmonary rehab closer to home")
    ParticipantFactory(project=project, member=member, involvement_level=level(3))
    ParticipantFactory(project=project, member=other_member, involvement_level=level(3))
    point = InvolvementPointFactory(
        project=project, title="Design workshop", planned_date=days_from_today(-1), involvement_level=level(4)
    )

    # When staff forget to choose anyone, they are told plainly
    portal.sign_in(staff)
    portal.visit(f"/projects/{project.public_id}/involvement/")
    portal.click("Record attendance", role="link")
    portal.click("Confirm attendance")
    assert "Select the people who were there" in portal.page.content()

    # Then they record who came, for a full day
    choose(portal, member.name)
    choose(portal, other_member.name)
    choose(portal, "Workshop")
    portal.fill("Hours", "5")
    portal.click("Confirm attendance")
    assert "2 people's time is confirmed" in portal.page.content()
    assert Reward.objects.filter(log__involvement_point=point, amount=Decimal("150.00")).count() == 2

    # And correct one reward that should have been a half day
    portal.click(f"Correct the reward for {member.name}", role="link")
    choose(portal, "The time, or how the member is thanked")
    portal.fill("Hours", "3")
    portal.fill("Minutes", "0")
    portal.fill("Why is it being corrected?", "Alice left at lunchtime.")
    portal.click("Correct the reward")
    content = portal.page.content()
    assert "Reversal of an earlier line" in content and "−£150.00" in content and "£75.00" in content

    # And see the programme's totals
    portal.visit("/involvement-totals/")
    assert "Whole programme" in portal.page.content()
    portal.sign_out()
    portal.sign_in(leader)
    portal.visit("/involvement-totals/")
    assert "Better Breathing" in portal.page.content()
