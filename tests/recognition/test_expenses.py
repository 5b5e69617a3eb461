"""Expense claims: costs with receipts checked by their content, stored privately, served only to the
claimant, the project's staff and finance; staff approve or reject each cost with a reason."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from coproduction.models import AuditEntry
from coproduction.roles import Role, role_group
from recognition import services
from recognition.models import ExpenseClaim, ExpenseItem, Receipt
from tests.programmes.factories import ParticipantFactory, days_from_today
from tests.recognition.factories import expense_policy, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def item_data(**overrides):
    day = overrides.pop("day", days_from_today(-5))
    return {
        "category": "mileage",
        "date-day": str(day.day),
        "date-month": str(day.month),
        "date-year": str(day.year),
        "description": "Drove to the workshop and back.",
        "amount": "",
        "miles": "18.4",
        "agreed_with": "",
        **overrides,
    }


@pytest.fixture
def claim(member, project):
    return services.start_claim(member=member, project=project, note="Travel to the workshop")


def submitted_claim(member, project, *, amount="4.50", category="fare"):
    claim = services.start_claim(member=member, project=project)
    services.add_expense_item(
        claim=claim,
        by=member,
        category=category,
        date=days_from_today(-3),
        description="Bus fare",
        amount=Decimal(amount),
        receipt=upload(),
    )
    return services.submit_claim(claim=claim, by=member)


def test_a_member_claims_mileage_with_a_receipt_and_the_portal_prices_it(client_for, member, project, private_media):
    client = client_for(member)
    response = client.post(reverse("recognition:claim_create"), {"project": str(project.pk), "note": "Workshop travel"})
    claim = ExpenseClaim.objects.get(member=member)
    assert response.url == reverse("recognition:item_add", args=[claim.public_id])
    response = client.post(
        reverse("recognition:item_add", args=[claim.public_id]), {**item_data(), "receipt": upload("ticket.png")}
    )
    assert response.status_code == 302
    item = claim.items.get()
    assert (item.miles, item.mileage_rate, item.amount) == (Decimal("18.4"), Decimal("0.45"), Decimal("8.28"))
    receipt = item.receipts.get()
    assert (receipt.original_name, receipt.content_type) == ("ticket.png", "image/png")
    stored = Path(receipt.file.path)
    assert stored.is_relative_to(Path(private_media) / "private") and stored.read_bytes() == png_bytes()
    assert "ticket" not in stored.name  # the name on disk is random
    with pytest.raises(ValueError):
        receipt.file.url  # noqa: B018 - no public address exists
    response = client.post(reverse("recognition:claim_submit", args=[claim.public_id]))
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.submitted_at is not None
    assert AuditEntry.objects.filter(action="expenses.claim_submitted", actor=member).exists()


def test_mileage_uses_the_rate_in_force_on_the_day_of_the_journey(member, claim):
    expense_policy(days_from_today(-10), mileage_rate=Decimal("0.55"))
    before = services.add_expense_item(
        claim=claim, by=member, category="mileage", date=days_from_today(-11), description="x", miles=Decimal("10")
    )
    after = services.add_expense_item(
        claim=claim, by=member, category="mileage", date=days_from_today(-10), description="y", miles=Decimal("10")
    )
    assert (before.amount, after.amount) == (Decimal("4.50"), Decimal("5.50"))


def test_fares_and_parking_need_a_receipt(client_for, member, claim):
    response = client_for(member).post(
        reverse("recognition:item_add", args=[claim.public_id]), item_data(category="fare", amount="4.50", miles="")
    )
    assert "Add a photo or scan of the receipt or ticket" in response.content.decode()
    assert not claim.items.exists()


def test_a_receipt_is_checked_by_its_content_not_its_name(client_for, member, claim):
    client = client_for(member)
    url = reverse("recognition:item_add", args=[claim.public_id])
    fake = upload("receipt.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post(url, {**item_data(category="fare", amount="4.50", miles=""), "receipt": fake})
    assert "must be a PDF, JPG or PNG" in response.content.decode()
    assert not Receipt.objects.exists()
    real_pdf_odd_name = upload("scan.txt", pdf_bytes(), "text/plain")
    response = client.post(url, {**item_data(category="fare", amount="4.50", miles=""), "receipt": real_pdf_odd_name})
    assert response.status_code == 302
    assert Receipt.objects.get().content_type == "application/pdf"
    assert Receipt.objects.get().file.name.endswith(".pdf")


def test_a_jpeg_is_recognised(member, claim):
    item = services.add_expense_item(
        claim=claim,
        by=member,
        category="parking",
        date=days_from_today(-1),
        description="Car park",
        amount=Decimal("3"),
        receipt=upload("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
    )
    assert item.receipts.get().content_type == "image/jpeg"


def test_a_receipt_over_the_size_limit_is_refused(client_for, member, claim, settings):
    settings.RECEIPT_MAX_BYTES = 50
    response = client_for(member).post(
        reverse("recognition:item_add", args=[claim.public_id]),
        {**item_data(category="fare", amount="4.50", miles=""), "receipt": upload()},
    )
    assert "must be smaller than" in response.content.decode()
    assert not Receipt.objects.exists()


def test_costs_older_than_the_claim_window_or_in_the_future_are_refused(client_for, member, claim):
    client = client_for(member)
    url = reverse("recognition:item_add", args=[claim.public_id])
    assert "from the last 3 months" in client.post(url, item_data(day=days_from_today(-120))).content.decode()
    assert "today or in the past" in client.post(url, item_data(day=days_from_today(2))).content.decode()
    with pytest.raises(services.RecognitionError, match="last 3 months"):
        services.add_expense_item(
            claim=claim, by=member, category="home", date=days_from_today(-120), description="x", amount=Decimal("1")
        )
    assert not claim.items.exists()


def test_a_carer_must_have_been_agreed_before(client_for, member, claim):
    response = client_for(member).post(
        reverse("recognition:item_add", args=[claim.public_id]), item_data(category="carer", amount="40", miles="")
    )
    assert "Enter who agreed the carer" in response.content.decode()


def test_a_tampered_form_cannot_set_amounts_status_or_approval(client_for, member, staff, claim):
    client = client_for(member)
    client.post(
        reverse("recognition:item_add", args=[claim.public_id]),
        {
            **item_data(),
            "amount": "500.00",
            "mileage_rate": "9.99",
            "status": "approved",
            "decided_by": str(staff.pk),
            "approved_by": str(staff.pk),
            "batch": "1",
        },
    )
    item = claim.items.get()
    assert (item.amount, item.mileage_rate, item.status, item.decided_by, item.batch) == (
        Decimal("8.28"),
        Decimal("0.45"),
        "pending",
        None,
        None,
    )
    client.post(reverse("recognition:claim_submit", args=[claim.public_id]), {"status": "decided"})
    claim.refresh_from_db()
    assert claim.status == "submitted"
    # The claimant cannot decide their own costs, whatever they post.
    response = client.post(
        reverse("recognition:item_decide", args=[item.public_id]), {"decision": "approve", "status": "approved"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "pending"


def test_staff_who_claim_cannot_approve_their_own_claim(client_for, staff, project):
    staff.groups.add(role_group(Role.MEMBER))
    ParticipantFactory(project=project, member=staff)
    claim = submitted_claim(staff, project)
    item = claim.items.get()
    assert (
        client_for(staff)
        .post(reverse("recognition:item_decide", args=[item.public_id]), {"decision": "approve"})
        .status_code
        == 403
    )
    with pytest.raises(services.RecognitionError, match="your own claim"):
        services.decide_expense_item(item=item, by=staff, approve=True)


def test_a_sent_claim_cannot_be_changed(client_for, member, project):
    claim = submitted_claim(member, project)
    client = client_for(member)
    assert client.get(reverse("recognition:item_add", args=[claim.public_id])).status_code == 403
    assert client.post(reverse("recognition:item_remove", args=[claim.items.get().public_id])).status_code == 403


def test_a_draft_cost_can_be_removed_with_its_receipt_file(member, claim, django_capture_on_commit_callbacks):
    item = services.add_expense_item(
        claim=claim,
        by=member,
        category="fare",
        date=days_from_today(-1),
        description="Bus",
        amount=Decimal("2"),
        receipt=upload(),
    )
    path = Path(item.receipts.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_expense_item(item=item, by=member)
    assert not claim.items.exists() and not path.exists()


def test_staff_approve_and_reject_each_cost_with_a_reason(client_for, member, staff, project, sent_emails):
    claim = services.start_claim(member=member, project=project)
    fare = services.add_expense_item(
        claim=claim,
        by=member,
        category="fare",
        date=days_from_today(-2),
        description="Bus",
        amount=Decimal("4.50"),
        receipt=upload(),
    )
    taxi = services.add_expense_item(
        claim=claim,
        by=member,
        category="fare",
        date=days_from_today(-2),
        description="Taxi",
        amount=Decimal("30"),
        receipt=upload(),
    )
    services.submit_claim(claim=claim, by=member)
    client = client_for(staff)
    page = client.get(reverse("recognition:claim_detail", args=[claim.public_id])).content.decode()
    assert "Check this cost" in page
    client.post(reverse("recognition:item_decide", args=[fare.public_id]), {"decision": "approve"})
    response = client.post(reverse("recognition:item_decide", args=[taxi.public_id]), {"decision": "reject"})
    assert "Enter your question or reason" in response.content.decode()
    client.post(
        reverse("recognition:item_decide", args=[taxi.public_id]),
        {"decision": "reject", "reason": "A taxi was not agreed before."},
    )
    fare.refresh_from_db()
    taxi.refresh_from_db()
    claim.refresh_from_db()
    assert (fare.status, fare.decided_by) == ("approved", staff)
    assert (taxi.status, taxi.decision_reason) == ("rejected", "A taxi was not agreed before.")
    assert claim.status == "decided"
    assert sent_emails[-1].to == [member.email]
    assert "A taxi was not agreed before." in sent_emails[-1].body and "£4.50" in sent_emails[-1].body
    with pytest.raises(services.RecognitionError, match="not waiting for a decision"):
        services.decide_expense_item(item=fare, by=staff, approve=False, reason="Changed my mind")
    fare.amount = Decimal("1")
    with pytest.raises(Exception, match="never edited"):
        fare.save()


def test_staff_off_the_programme_cannot_see_or_decide_a_claim(client_for, member, other_staff, project):
    claim = submitted_claim(member, project)
    client = client_for(other_staff)
    assert client.get(reverse("recognition:claim_detail", args=[claim.public_id])).status_code == 404
    item = claim.items.get()
    assert (
        client.post(reverse("recognition:item_decide", args=[item.public_id]), {"decision": "approve"}).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.status == "pending"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 200),
        ("staff", 200),
        ("finance", 200),
        ("other_member", 404),
        ("other_staff", 404),
        ("leader", 404),
        ("administrator", 404),
    ],
)
def test_receipts_are_served_only_to_the_claimant_the_projects_staff_and_finance(
    request, client_for, member, project, persona, status
):
    claim = submitted_claim(member, project)
    receipt = Receipt.objects.get(item__claim=claim)
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("recognition:receipt", args=[receipt.public_id])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == png_bytes()


def test_a_guessed_receipt_id_is_not_found(client_for, member):
    import uuid

    assert client_for(member).get(reverse("recognition:receipt", args=[uuid.uuid4()])).status_code == 404


def test_another_members_claim_is_hidden(client_for, member, other_member, project):
    claim = submitted_claim(member, project)
    client = client_for(other_member)
    assert client.get(reverse("recognition:claim_detail", args=[claim.public_id])).status_code == 404
    assert client.get(reverse("recognition:item_add", args=[claim.public_id])).status_code == 404
    assert client.post(reverse("recognition:claim_submit", args=[claim.public_id])).status_code == 404
    assert claim not in client.get(reverse("recognition:claim_list")).context["claims"]


def test_claims_are_only_for_projects_the_member_takes_part_in(client_for, other_member, project):
    response = client_for(other_member).post(reverse("recognition:claim_create"), {"project": str(project.pk)})
    assert response.status_code == 200 and not ExpenseClaim.objects.exists()
    assert ExpenseItem.objects.count() == 0


def test_a_cost_is_decided_once_even_when_two_staff_decide_together(member, staff, other_staff, project):
    claim = services.start_claim(member=member, project=project)
    first = services.add_expense_item(
        claim=claim, by=member, category="home", date=days_from_today(-1), description="Data", amount=Decimal("2")
    )
    services.add_expense_item(
        claim=claim, by=member, category="home", date=days_from_today(-1), description="Call", amount=Decimal("1")
    )
    services.submit_claim(claim=claim, by=member)
    services.decide_expense_item(item=first, by=staff, approve=True)
    with pytest.raises(services.RecognitionError, match="already made a decision"):
        services.decide_expense_item(item=first, by=other_staff, approve=False, reason="No")
    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("approved", staff)
