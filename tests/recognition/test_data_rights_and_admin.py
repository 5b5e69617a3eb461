"""Download and erasure of recognition data; dashboard panels; the admin for rate cards."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from people import personal_data
from recognition import services
from recognition.models import Certificate, ExpenseItem, InvolvementLog, RateCard, Receipt, Reward
from tests.programmes.factories import days_from_today
from tests.recognition.factories import make_log, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(member, staff, finance, project):
    log = make_log(member, project, minutes=120, note="I read the draft leaflet at home.")
    reward = services.confirm_log(log=log, by=staff)
    claim = services.start_claim(member=member, project=project, note="Bus to the workshop")
    item = services.add_expense_item(
        claim=claim,
        by=member,
        category="carer",
        date=days_from_today(-2),
        description="My support worker, Sam",
        amount=Decimal("40"),
        agreed_with="Charlie on the phone",
        receipt=upload("invoice.png"),
    )
    services.submit_claim(claim=claim, by=member)
    services.decide_expense_item(item=item, by=staff, approve=True)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    services.export_batch(batch=batch, by=finance)
    certificate = services.issue_certificate(member=member)
    return {"log": log, "reward": reward, "claim": claim, "item": item, "certificate": certificate}


def test_recognition_registers_a_personal_data_section():
    assert "recognition" in personal_data.SECTIONS
    assert personal_data.SECTIONS["recognition"].erase is not None


def test_the_download_holds_logs_rewards_claims_items_receipts_and_certificates(member, history):
    data = personal_data.SECTIONS["recognition"].export(member)
    json.dumps(data)  # ready for a JSON download
    assert data["involvement_logs"][0]["note"] == "I read the draft leaflet at home."
    assert data["rewards"][0]["amount"] == "30.00" and data["rewards"][0]["payment_batch"]
    assert data["expense_claims"][0]["note"] == "Bus to the workshop"
    assert data["expense_items"][0]["agreed_with"] == "Charlie on the phone"
    assert data["receipts"][0]["file_name"] == "invoice.png"
    assert data["certificates"][0]["code"] == history["certificate"].display_code


def test_the_download_holds_nothing_of_anyone_else(other_member, history):
    data = personal_data.SECTIONS["recognition"].export(other_member)
    assert all(rows == [] for rows in data.values())


def test_erasure_blanks_free_text_but_keeps_the_money_records(member, history):
    personal_data.SECTIONS["recognition"].erase(member)
    log = InvolvementLog.objects.get(pk=history["log"].pk)
    item = ExpenseItem.objects.get(pk=history["item"].pk)
    assert log.note == "" and item.description == "" and item.agreed_with == ""
    assert history["claim"].__class__.objects.get(pk=history["claim"].pk).note == ""
    assert Receipt.objects.get(item=item).original_name == "receipt"
    # Money stays, exactly as it was, for the six years the law requires.
    reward = Reward.objects.get(pk=history["reward"].pk)
    assert (reward.amount, reward.batch_id) == (
        Decimal("30.00"),
        history["reward"].__class__.objects.get(pk=reward.pk).batch_id,
    )
    assert (item.amount, item.status) == (Decimal("40.00"), "approved") and item.batch_id is not None
    assert log.minutes == 120 and log.status == "confirmed"
    assert not Certificate.objects.filter(member=member).exists()


def _panels(user):
    """The recognition panels as the dashboard would show them (called directly, so this test does
    not depend on other apps' panels)."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from recognition import panels

    request = RequestFactory().get("/dashboard/")
    request.user = user
    shown = [
        panel(request)
        for panel in (panels.member_recognition_panel, panels.staff_approvals_panel, panels.finance_payments_panel)
    ]
    return "".join(render_to_string(p["template"], {"panel": p, "request": request}) for p in shown if p)


def test_dashboard_panels_for_member_staff_and_finance(member, staff, finance, project):
    make_log(member, project)
    assert "My recognition" in _panels(member) and "1 log is waiting for staff to confirm" in _panels(member)
    assert "1 log of time to confirm" in _panels(staff) and "My recognition" not in _panels(staff)
    assert "approved and waiting for a payment batch" in _panels(finance)


def test_administrators_keep_rate_cards_in_the_admin_and_used_cards_are_read_only(
    client_for, administrator, member, staff, project
):
    client = client_for(administrator)
    card = RateCard.objects.order_by("effective_from").first()
    assert client.get(reverse("admin:recognition_ratecard_changelist")).status_code == 200
    assert client.get(reverse("admin:recognition_ratecard_add")).status_code == 200
    assert client.get(reverse("admin:recognition_expensepolicy_add")).status_code == 200
    assert client.get(reverse("admin:recognition_ratecard_change", args=[card.pk])).status_code == 200
    services.confirm_log(log=make_log(member, project), by=staff)
    response = client.post(reverse("admin:recognition_ratecard_change", args=[card.pk]), {"name": "Changed"})
    assert response.status_code == 403
    assert client.get(reverse("admin:recognition_reward_changelist")).status_code == 200
    assert client.get(reverse("admin:recognition_reward_add")).status_code == 403


def test_the_admin_refuses_a_level_paid_two_ways(client_for, administrator, project):
    from tests.recognition.factories import level

    three = level(3)
    client = client_for(administrator)
    response = client.post(
        reverse("admin:recognition_ratecard_add"),
        {
            "name": "Mixed",
            "effective_from": "2030-04-06",
            "full_day_minutes": "240",
            "notes": "",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-level": str(three.pk),
            "lines-0-unit": "hour",
            "lines-0-amount": "15.00",
            "lines-1-level": str(three.pk),
            "lines-1-unit": "full_day",
            "lines-1-amount": "150.00",
        },
    )
    assert response.status_code == 200
    assert "Pay each level one way only" in response.content.decode()
    assert not RateCard.objects.filter(name="Mixed").exists()
