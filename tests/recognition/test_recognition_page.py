"""The member's recognition page, certificates as accessible PDFs, and the public certificate check."""

import re
import shutil
import subprocess
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from recognition import differences, services
from recognition.models import Certificate, RewardChoice
from tests.conftest import assert_flat_queries
from tests.programmes.factories import days_from_today
from tests.recognition.factories import make_log, rate_card, upload

pytestmark = pytest.mark.django_db


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed object streams opened up, to read the catalogue."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(chunks)


def confirm(member, staff, project, **kwargs):
    return services.confirm_log(log=make_log(member, project, **kwargs), by=staff)


def page(client):
    return client.get(reverse("recognition:my_recognition"))


def test_hours_activities_and_milestones(client_for, member, staff, project):
    confirm(member, staff, project, minutes=300, day=days_from_today(-30), activity="workshop")
    confirm(member, staff, project, minutes=360, day=days_from_today(-20), activity="meeting")
    make_log(member, project, minutes=60, day=days_from_today(-1))  # waiting
    response = page(client_for(member))
    html = response.content.decode()
    assert response.context["total_hours"] == Decimal("11.0")
    assert "11 hours, from 2 activities" in html
    assert "Waiting for staff to confirm: 1 hour." in html
    titles = [m.title for m in response.context["milestones"]]
    assert titles == ["Your first involvement", "10 hours of involvement"]
    assert response.context["milestones"][1].reached_on == days_from_today(-20)
    assert "Next: 50 hours of involvement. 39 hours to go." in html


def test_rewards_and_expenses_are_grouped_by_uk_tax_year_with_status(client_for, member, staff, finance, project):
    rate_card(date(2025, 1, 1), [(3, "hour", "15.00")])
    confirm(member, staff, project, minutes=60, day=date(2026, 4, 5))
    confirm(member, staff, project, minutes=120, day=date(2026, 4, 6), choice=RewardChoice.VOUCHER)
    confirm(member, staff, project, minutes=60, day=date(2026, 4, 7), choice=RewardChoice.NO_PAYMENT)
    response = page(client_for(member))
    years = response.context["tax_years"]
    if date.today() < date(2026, 4, 7):  # pragma: no cover - dates are fixed, the clock is not
        pytest.skip("needs today to be after 7 April 2026")
    labels = [year.label for year in years]
    assert labels[:2] == ["6 April 2026 to 5 April 2027", "6 April 2025 to 5 April 2026"]
    newer, older = years[0], years[1]
    assert (older.payments, older.vouchers) == (Decimal("15.00"), Decimal("0.00"))
    assert (newer.payments, newer.vouchers) == (Decimal("0.00"), Decimal("30.00"))
    html = response.content.decode()
    assert "Waiting for payment" in html and "No payment – your choice" in html


def test_expenses_show_with_their_status_and_drafts_do_not(client_for, member, staff, project):
    claim = services.start_claim(member=member, project=project)
    services.add_expense_item(
        claim=claim,
        by=member,
        category="fare",
        date=days_from_today(-2),
        description="Bus to the hospital",
        amount=Decimal("4.50"),
        receipt=upload(),
    )
    assert "Bus to the hospital" not in page(client_for(member)).content.decode()
    services.submit_claim(claim=claim, by=member)
    html = page(client_for(member)).content.decode()
    assert "Bus to the hospital" in html and "Waiting for staff to check" in html


def test_the_page_says_plainly_how_tax_and_benefits_work(client_for, member, project):
    html = page(client_for(member)).content.decode()
    assert "get advice before you accept a payment or a voucher" in html
    assert "even if you plan to say no to payment" in html
    assert "Citizens Advice" in html and "tax and National Insurance" in html
    assert "not part of your job and is done in your own time" in html


def test_corrections_are_shown_to_the_member(client_for, member, staff, project):
    reward = confirm(member, staff, project, minutes=120)
    services.correct_reward(reward=reward, by=staff, reason="It was 90 minutes", minutes=90)
    html = page(client_for(member)).content.decode()
    assert "Reversal of an earlier line" in html and "Corrected line" in html and "It was 90 minutes" in html
    assert "−£30.00" in html and "£22.50" in html


def test_the_difference_section_is_hidden_when_empty_and_shown_from_a_provider(
    client_for, member, project, monkeypatch
):
    html = page(client_for(member)).content.decode()
    assert "The difference you made" not in html and "coming soon" not in html.lower()
    monkeypatch.setattr(differences, "PROVIDERS", [])
    differences.register(
        lambda m: [differences.Difference(said="Classes are too far away", did="We moved them to the community centre")]
    )
    html = page(client_for(member)).content.decode()
    assert "The difference you made" in html and "We moved them to the community centre" in html


def test_only_members_have_a_recognition_page(client_for, staff, finance):
    assert page(client_for(staff)).status_code == 403
    assert page(client_for(finance)).status_code == 403


# Certificates -------------------------------------------------------------------------------------
def test_a_member_gets_a_certificate_as_an_accessible_pdf(client_for, member, staff, project):
    confirm(member, staff, project, minutes=150, day=days_from_today(-40))
    confirm(member, staff, project, minutes=90, day=days_from_today(-10))
    client = client_for(member)
    response = client.post(reverse("recognition:certificate_create"))
    assert response.status_code == 302
    certificate = Certificate.objects.get(member=member)
    assert (certificate.name, certificate.hours) == (member.name, Decimal("4.0"))
    assert (certificate.period_start, certificate.period_end) == (days_from_today(-40), days_from_today(-10))
    assert certificate.display_code in page(client).content.decode()
    response = client.get(reverse("recognition:certificate_pdf", args=[certificate.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    objects = inflated(pdf)
    assert b"/Lang (en-GB)" in objects  # the document's language
    assert b"/StructTreeRoot" in objects  # tagged: headings and paragraphs, not just marks on a page
    assert b"/DisplayDocTitle true" in objects
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Certificate of involvement" in text and member.name in text
        assert "4 hours" in text and certificate.display_code in text
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert f"Certificate of involvement – {member.name}" in info
        assert "Tagged:          yes" in info
        fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Serif" not in fonts  # the stylesheet sets a sans-serif font


def test_no_certificate_without_confirmed_time_or_for_someone_else(client_for, member, other_member, staff, project):
    client = client_for(member)
    client.post(reverse("recognition:certificate_create"))
    assert not Certificate.objects.exists()
    confirm(member, staff, project)
    client.post(reverse("recognition:certificate_create"))
    certificate = Certificate.objects.get()
    assert (
        client_for(other_member).get(reverse("recognition:certificate_pdf", args=[certificate.public_id])).status_code
        == 404
    )


def test_anyone_can_check_a_certificate_and_sees_only_what_it_says(client_for, member, staff, project):
    confirm(member, staff, project, minutes=120)
    certificate = services.issue_certificate(member=member)
    client = client_for(None)
    response = client.get(reverse("recognition:certificate_check"), {"code": certificate.display_code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is real" in html
    assert member.name in html and "Hours of involvement" in html
    assert certificate.issued_at.strftime("%-d %B %Y") in html
    assert member.email not in html and project.name not in html and project.programme.name not in html
    response = client.get(reverse("recognition:certificate_check"), {"code": "ABCD-EFGH-JKMN"})
    assert "We cannot find this certificate" in response.content.decode()
    response = client.get(reverse("recognition:certificate_check"), {"code": "short"})
    assert "12 letters and numbers" in response.content.decode()


def test_a_certificate_needs_a_name(member, staff, project):
    confirm(member, staff, project)
    member.name = ""
    member.save()
    with pytest.raises(services.RecognitionError, match="Add your name"):
        services.issue_certificate(member=member)


# Query counts -------------------------------------------------------------------------------------
def test_the_recognition_page_query_count_is_flat(client_for, member, staff, finance, project, point):
    def add(n):
        for i in range(n):
            reward = confirm(member, staff, project, minutes=60 + i, day=days_from_today(-1 - i % 30))
            if i % 3 == 0:
                services.correct_reward(reward=reward, by=staff, reason="fix", minutes=30)
            claim = services.start_claim(member=member, project=project)
            services.add_expense_item(
                claim=claim,
                by=member,
                category="home",
                date=days_from_today(-1),
                description="Data",
                amount=Decimal("2"),
            )
            services.submit_claim(claim=claim, by=member)
            services.issue_certificate(member=member)

    assert_flat_queries(client_for(member), reverse("recognition:my_recognition"), add, many=20)


def test_courses_completed_are_milestones(client_for, member, staff, project):
    from tests.people.factories_training import CourseFactory, TrainingRecordFactory

    course = CourseFactory(title="Sharing your story safely")
    TrainingRecordFactory(person=member, course=course, completed_on=days_from_today(-60))
    TrainingRecordFactory(person=member, course=course, completed_on=days_from_today(-5))  # taken again
    confirm(member, staff, project, day=days_from_today(-30))
    milestones = page(client_for(member)).context["milestones"]
    assert [(m.title, m.reached_on) for m in milestones] == [
        ("Course completed: Sharing your story safely", days_from_today(-60)),
        ("Your first involvement", days_from_today(-30)),
    ]
