"""Finance: payment batches from approved rewards and expenses, the payroll CSV, freezing on export,
marking paid, the payment clock, and nothing ever paid twice."""

import csv
import io
import os
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from coproduction.models import AuditEntry
from recognition import services
from recognition.models import ExpenseClaim, ExpenseItem, PaymentBatch, Reward, RewardChoice
from tests.conftest import assert_flat_queries, make_person
from tests.programmes.factories import ParticipantFactory, days_from_today
from tests.recognition.factories import make_log, upload

pytestmark = pytest.mark.django_db


def confirmed(member, staff, project, **kwargs):
    return services.confirm_log(log=make_log(member, project, **kwargs), by=staff)


def approved_claim(member, staff, project, amount="4.50", day=None):
    claim = services.start_claim(member=member, project=project)
    item = services.add_expense_item(
        claim=claim,
        by=member,
        category="fare",
        date=day or days_from_today(-3),
        description="Bus",
        amount=Decimal(amount),
        receipt=upload(),
    )
    services.submit_claim(claim=claim, by=member)
    services.decide_expense_item(item=item, by=staff, approve=True)
    item.refresh_from_db()
    return item


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_batch_takes_approved_payable_lines_up_to_the_date(member, staff, finance, project):
    paid = confirmed(member, staff, project, minutes=120, day=days_from_today(-5))
    voucher = confirmed(member, staff, project, minutes=60, day=days_from_today(-4), choice=RewardChoice.VOUCHER)
    declined = confirmed(member, staff, project, minutes=60, day=days_from_today(-3), choice=RewardChoice.NO_PAYMENT)
    later = confirmed(member, staff, project, minutes=60, day=days_from_today(0))
    make_log(member, project, day=days_from_today(-2))  # not confirmed: no reward at all
    expense = approved_claim(member, staff, project)
    batch = services.build_batch(by=finance, up_to=days_from_today(-1))
    assert set(Reward.objects.filter(batch=batch)) == {paid, voucher}
    assert list(ExpenseItem.objects.filter(batch=batch)) == [expense]
    assert Reward.objects.get(pk=declined.pk).batch is None and Reward.objects.get(pk=later.pk).batch is None
    assert AuditEntry.objects.filter(action="payment_batch.built", actor=finance).exists()


def test_nothing_is_paid_twice(member, staff, finance, project):
    reward = confirmed(member, staff, project)
    first = services.build_batch(by=finance, up_to=timezone.localdate())
    with pytest.raises(services.RecognitionError, match="Nothing approved"):
        services.build_batch(by=finance, up_to=timezone.localdate())
    assert Reward.objects.get(pk=reward.pk).batch == first
    assert PaymentBatch.objects.count() == 1  # the empty second batch was rolled back


def test_a_correction_after_payment_goes_in_the_next_batch(member, staff, finance, project):
    reward = confirmed(member, staff, project, minutes=120)
    first = services.build_batch(by=finance, up_to=timezone.localdate())
    services.export_batch(batch=first, by=finance)
    correction = services.correct_reward(reward=reward, by=staff, reason="It was one hour", minutes=60)
    second = services.build_batch(by=finance, up_to=timezone.localdate())
    assert set(Reward.objects.filter(batch=second)) == {correction.reversal, correction.replacement}
    assert sum(r.amount for r in Reward.objects.filter(batch=second)) == Decimal("-15.00")
    assert Reward.objects.get(pk=reward.pk).batch == first


def test_an_exported_batch_is_frozen(member, staff, finance, project):
    confirmed(member, staff, project)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    services.export_batch(batch=batch, by=finance)
    with pytest.raises(services.RecognitionError):
        services.export_batch(batch=batch, by=finance)
    with pytest.raises(services.RecognitionError):
        services.discard_batch(batch=batch, by=finance)
    assert Reward.objects.filter(batch=batch).count() == 1


def test_discarding_a_built_batch_frees_its_lines_for_the_next(member, staff, finance, project):
    reward = confirmed(member, staff, project)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    services.discard_batch(batch=batch, by=finance)
    assert Reward.objects.get(pk=reward.pk).batch is None
    assert PaymentBatch.objects.get(pk=batch.pk).status == "discarded"  # kept, with who and when
    assert (
        Reward.objects.get(pk=reward.pk) in services.build_batch(by=finance, up_to=timezone.localdate()).rewards.all()
    )


def test_finance_builds_exports_downloads_and_marks_paid(
    client_for, member, other_member, staff, finance, project, sent_emails
):
    ParticipantFactory(
        project=project, member=other_member, involvement_level=member.participations.get().involvement_level
    )
    confirmed(member, staff, project, minutes=120, day=days_from_today(-5))
    confirmed(member, staff, project, minutes=60, day=days_from_today(-4), choice=RewardChoice.VOUCHER)
    approved_claim(member, staff, project, amount="4.50")
    confirmed(other_member, staff, project, minutes=30, day=days_from_today(-6))
    client = client_for(finance)
    assert client.get(reverse("recognition:finance")).status_code == 200
    day = timezone.localdate()
    response = client.post(
        reverse("recognition:batch_create"), {"up_to-day": day.day, "up_to-month": day.month, "up_to-year": day.year}
    )
    batch = PaymentBatch.objects.get()
    assert response.url == reverse("recognition:batch_detail", args=[batch.public_id])
    # Not exported yet: no file.
    assert client.get(reverse("recognition:batch_download", args=[batch.public_id])).status_code == 302
    client.post(reverse("recognition:batch_export", args=[batch.public_id]))
    batch.refresh_from_db()
    assert (batch.status, batch.exported_by) == ("exported", finance)
    rows = csv_rows(client.get(reverse("recognition:batch_download", args=[batch.public_id])))
    assert len(rows) == 2  # one row per person
    alice = next(row for row in rows if row["full_name"] == member.name)
    assert alice["involvement_payments_taxable_gbp"] == "30.00"
    assert alice["vouchers_gbp"] == "15.00"
    assert alice["expenses_not_taxable_gbp"] == "4.50"
    assert alice["total_gbp"] == "49.50"
    assert (alice["reward_lines"], alice["expense_lines"]) == ("2", "1")
    assert alice["payee_reference"] == str(member.public_id) and alice["batch_reference"] == batch.reference
    assert AuditEntry.objects.filter(action="payment_batch.downloaded", actor=finance).exists()
    client.post(reverse("recognition:batch_paid", args=[batch.public_id]))
    batch.refresh_from_db()
    assert (batch.status, batch.paid_by) == ("paid", finance)
    assert {tuple(message.to) for message in sent_emails} >= {(member.email,), (other_member.email,)}
    page = client_for(member).get(reverse("recognition:my_recognition")).content.decode()
    assert "Paid" in page


def test_the_csv_cannot_carry_a_spreadsheet_formula(member, staff, finance, project):
    member.name = '=HYPERLINK("http://evil")'
    member.save()
    confirmed(member, staff, project)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    services.export_batch(batch=batch, by=finance)
    from recognition.exports import payroll_rows

    rows = list(payroll_rows(batch))
    assert rows[1][2].startswith("'=")


@pytest.mark.parametrize("persona", ["member", "staff", "leader", "administrator"])
def test_only_finance_builds_exports_and_pays_batches(request, client_for, member, staff, finance, project, persona):
    confirmed(member, staff, project)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    client = client_for(request.getfixturevalue(persona))
    day = timezone.localdate()
    assert client.get(reverse("recognition:finance")).status_code == 403
    assert (
        client.post(
            reverse("recognition:batch_create"),
            {"up_to-day": day.day, "up_to-month": day.month, "up_to-year": day.year},
        ).status_code
        == 403
    )
    assert client.get(reverse("recognition:batch_detail", args=[batch.public_id])).status_code == 403
    assert client.post(reverse("recognition:batch_export", args=[batch.public_id])).status_code == 403
    assert client.get(reverse("recognition:batch_download", args=[batch.public_id])).status_code == 403
    assert client.post(reverse("recognition:batch_paid", args=[batch.public_id])).status_code == 403
    batch.refresh_from_db()
    assert batch.status == "built" and PaymentBatch.objects.count() == 1


def test_the_payment_clock_flags_claims_waiting_longer_than_the_target(client_for, member, staff, finance, project):
    fresh = approved_claim(member, staff, project).claim
    old = approved_claim(member, staff, project).claim
    ExpenseClaim.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    page = client_for(finance).get(reverse("recognition:finance"))
    clock = page.context["clock"]
    assert {c.pk: c.overdue for c in clock["claims"]} == {fresh.pk: False, old.pk: True}
    assert clock["overdue_count"] == 1 and "1 claim is over the target" in page.content.decode()
    # Once paid, a claim leaves the clock.
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    services.export_batch(batch=batch, by=finance)
    services.mark_batch_paid(batch=batch, by=finance)
    assert client_for(finance).get(reverse("recognition:finance")).context["clock"]["claims"] == []


def test_the_payment_target_is_data(member, staff, finance, project):
    from recognition.summaries import payment_clock
    from tests.recognition.factories import expense_policy

    claim = approved_claim(member, staff, project).claim
    ExpenseClaim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - timedelta(days=10))
    assert payment_clock()["overdue_count"] == 0
    expense_policy(days_from_today(-1), payment_target_days=7)
    assert payment_clock()["overdue_count"] == 1


def test_the_batch_page_query_count_is_flat(client_for, member, staff, finance, project):
    batch_holder = {}
    people = []

    def add(n):
        for _ in range(n):
            person = make_person(f"Payee {len(people)}", f"payee{len(people)}@example.org", "Member")
            people.append(person)
            ParticipantFactory(project=project, member=person)
            confirmed(person, staff, project, day=days_from_today(-2))
            approved_claim(person, staff, project)
        batch = batch_holder.get("batch")
        if batch is None:
            batch_holder["batch"] = services.build_batch(by=finance, up_to=timezone.localdate())
        else:
            now = timezone.now()
            Reward.objects.payable().filter(batch__isnull=True).update(batch=batch, updated_at=now)
            ExpenseItem.objects.filter(batch__isnull=True, status="approved").update(batch=batch, updated_at=now)

    add(1)
    url = reverse("recognition:batch_detail", args=[batch_holder["batch"].public_id])
    assert_flat_queries(client_for(finance), url, lambda n: add(n) if n != 1 else None, many=15)


def test_a_big_batch_shows_25_people_a_page_with_totals_for_the_whole_batch(client_for, staff, finance, project):
    people = [make_person(f"Payee {n:02d}", f"payee{n}@example.org", "Member") for n in range(27)]
    for person in people:
        ParticipantFactory(project=project, member=person)
        confirmed(person, staff, project, day=days_from_today(-2))
        approved_claim(person, staff, project)
    batch = services.build_batch(by=finance, up_to=timezone.localdate())
    client = client_for(finance)
    first = client.get(reverse("recognition:batch_detail", args=[batch.public_id]))
    html = first.content.decode()
    assert "27 people" in html and "Payee 00" in html and "Payee 26" not in html
    lines = [*Reward.objects.filter(batch=batch), *ExpenseItem.objects.filter(batch=batch)]
    assert first.context["total"] == sum(line.amount for line in lines)
    second = client.get(reverse("recognition:batch_detail", args=[batch.public_id]) + "?page=2").content.decode()
    assert "Payee 26" in second and "Payee 00" not in second


# Two finance officers building at once (PostgreSQL) ----------------------------------------------
def require_postgresql():
    if connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_SERVICE_TESTS"):
        pytest.fail("REQUIRE_SERVICE_TESTS is set, but the database is not PostgreSQL")
    pytest.skip("needs PostgreSQL: SQLite locks the whole database, so two batches cannot be built at once")


@pytest.mark.django_db(transaction=True)
def test_two_finance_officers_building_at_once_never_put_a_line_in_two_batches(
    member, staff, finance, project, monkeypatch
):
    require_postgresql()
    second_officer = make_person("Harriet Finance", "harriet@example.org", "Finance")
    for day in range(1, 21):
        confirmed(member, staff, project, day=days_from_today(-day))
    for _ in range(5):
        approved_claim(member, staff, project)
    total_rewards, total_items = Reward.objects.payable().count(), ExpenseItem.objects.filter(status="approved").count()

    both_started = threading.Barrier(2, timeout=20)
    real_new_batch = services._new_batch

    def new_batch_then_wait(**kwargs):
        batch = real_new_batch(**kwargs)
        both_started.wait()  # both transactions are open before either claims a line
        return batch

    monkeypatch.setattr(services, "_new_batch", new_batch_then_wait)
    results, errors = {}, {}

    def build(officer):
        try:
            results[officer.pk] = services.build_batch(by=officer, up_to=timezone.localdate())
        except services.RecognitionError as error:
            errors[officer.pk] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build, args=(officer,)) for officer in (finance, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    batches = list(PaymentBatch.objects.all())
    claimed = {batch.pk: (batch.rewards.count(), batch.expense_items.count()) for batch in batches}
    assert sum(r for r, _ in claimed.values()) == total_rewards
    assert sum(i for _, i in claimed.values()) == total_items
    for officer_pk, batch in results.items():
        # Each batch holds exactly what its own UPDATE claimed: nothing was taken from it afterwards.
        assert claimed[batch.pk] == (batch.reward_count, batch.item_count), officer_pk
    assert len(results) + len(errors) == 2
    assert not Reward.objects.payable().filter(batch__isnull=True).exists()
