"""`seed_demo --scale large`'s bulk seeding, at a tiny scale: every row keeps the models' rules and
agrees with the rows around it, as if the portal's own services had written it."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from coproduction import demo
from people import demo as people_demo
from people.models import (
    AccessNeeds,
    Application,
    ApplicationDecision,
    Consent,
    EqualityMonitoring,
    EqualitySnapshot,
    Opportunity,
    Profile,
    TrainingBooking,
    TrainingRecord,
)
from programmes import demo as programmes_demo
from programmes.models import Participant
from recognition import demo as recognition_demo
from recognition import exports, services, summaries
from recognition.models import ExpenseClaim, ExpenseItem, InvolvementLog, PaymentBatch, Reward, RewardChoice
from recognition.money import ZERO, to_money

pytestmark = pytest.mark.django_db

MEMBERS, LOGS, CLAIMS, APPLICATIONS, RECORDS = 60, 1500, 120, 150, 120


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    users = demo.seed_accounts()
    members = demo.seed_members(MEMBERS)
    large = programmes_demo.seed_large(users, members, programmes=2, projects=6, points=60)
    people = people_demo.seed_large(
        users, members, large["projects"], opportunities=8, applications=APPLICATIONS, training_records=RECORDS
    )
    recognition = recognition_demo.seed_large(
        users, members, large["projects"], logs=LOGS, claims=CLAIMS, correction_rate=0.05
    )
    return {"users": users, "members": members, **large, "people": people, "recognition": recognition}


def test_volumes_are_the_ones_asked_for(seeded):
    members = seeded["members"]
    assert InvolvementLog.objects.filter(member__in=members).count() == LOGS
    assert ExpenseClaim.objects.filter(member__in=members).count() == CLAIMS
    assert Application.objects.filter(applicant__in=members).count() == APPLICATIONS
    assert TrainingRecord.objects.filter(person__in=members).count() == RECORDS
    assert Profile.objects.filter(user__in=members).count() == MEMBERS
    assert EqualityMonitoring.objects.filter(user__in=members).count() == MEMBERS
    assert Consent.objects.filter(user__in=members, action="agreed_privacy_notice").count() == MEMBERS
    assert AccessNeeds.objects.filter(user__in=members).exists()


def test_rows_pass_model_validation(seeded):
    for model in (
        Profile, EqualityMonitoring, Opportunity, Application, ApplicationDecision, TrainingRecord, InvolvementLog,
        ExpenseClaim, ExpenseItem, PaymentBatch,
    ):  # fmt: skip
        for row in model.objects.order_by("?")[:40]:
            row.full_clean()
    # The seed's own timestamps were switched back on afterwards.
    assert Reward._meta.get_field("created_at").auto_now_add
    assert ExpenseClaim._meta.get_field("updated_at").auto_now
    # Timestamps are aware and spread over the year, not all "now".
    made = list(ExpenseClaim.objects.values_list("created_at", flat=True))
    assert all(timezone.is_aware(moment) for moment in made)
    assert (max(made) - min(made)).days > 200


def test_every_reward_belongs_to_a_confirmed_log_and_is_priced_by_the_rate_card(seeded):
    assert not Reward.objects.exclude(log__status=InvolvementLog.Status.CONFIRMED).exists()
    confirmed = InvolvementLog.objects.filter(member__in=seeded["members"], status=InvolvementLog.Status.CONFIRMED)
    originals = Counter(Reward.objects.filter(entry=Reward.Entry.ORIGINAL).values_list("log_id", flat=True))
    assert set(originals) == set(confirmed.values_list("pk", flat=True))
    assert set(originals.values()) == {1}
    assert not InvolvementLog.objects.exclude(status=InvolvementLog.Status.CONFIRMED).filter(rewards__isnull=False)
    decided = InvolvementLog.objects.exclude(status=InvolvementLog.Status.WAITING)
    assert not decided.filter(decided_at__isnull=True).exists()
    assert all(log.created_at <= log.decided_at <= timezone.now() for log in decided)
    corrected = set(Reward.objects.exclude(entry=Reward.Entry.ORIGINAL).values_list("log_id", flat=True))
    assert corrected, "the tiny seed corrects some rewards"
    paid = 0
    for reward in Reward.objects.select_related("log__involvement_point", "reverses"):
        log = reward.log
        assert (reward.member_id, reward.date, reward.choice) == (log.member_id, log.date, log.choice)
        assert reward.created_by_id == log.decided_by_id
        if reward.entry == Reward.Entry.REVERSAL:
            original = reward.reverses
            assert (reward.minutes, reward.value, reward.amount) == (
                -original.minutes,
                -original.value,
                -original.amount,
            )
            assert original.entry == Reward.Entry.ORIGINAL and original.log_id == log.pk
            continue
        if reward.entry == Reward.Entry.ORIGINAL and log.pk in corrected:
            assert reward.minutes == log.minutes + 30  # confirmed as logged, corrected later
        else:
            assert reward.minutes == log.minutes
        level, card, price = services.price_log(log, minutes=reward.minutes)  # the portal's own pricing
        assert (reward.level_id, reward.rate_card_id) == (level.pk if level else None, card.pk)
        assert (reward.rate_line_id, reward.unit, reward.unit_amount) == (
            price.line.pk if price.line else None,
            price.unit,
            price.unit_amount,
        )
        assert (reward.value, reward.explanation) == (price.value, price.explanation)
        assert reward.amount == (ZERO if log.choice == RewardChoice.NO_PAYMENT else price.value)
        paid += reward.amount > 0
    assert paid, "some rewards carry money"


def test_batches_hold_what_build_batch_would_have_put_in_them(seeded):
    batches = list(PaymentBatch.objects.order_by("built_at"))
    assert len(batches) >= 3
    assert [b.status for b in batches] == ["paid"] * (len(batches) - 1) + ["exported"]
    assert PaymentBatch.objects.order_by("-created_at").first() == batches[-1]  # the bench's "latest batch"
    for batch in batches:
        assert batch.built_at < batch.exported_at and (batch.paid_at is None or batch.exported_at < batch.paid_at)
        assert batch.exported_at <= timezone.now()
    rewards = list(Reward.objects.select_related("batch"))
    items = list(ExpenseItem.objects.select_related("batch", "claim"))
    for line, approved_at, payable in [
        *((r, r.created_at, r.choice != RewardChoice.NO_PAYMENT and r.amount != 0) for r in rewards),
        *((i, i.decided_at, i.status == ExpenseItem.Status.APPROVED) for i in items),
    ]:
        takers = [b for b in batches if b.up_to >= line.date and b.built_at >= approved_at] if payable else []
        assert line.batch == (takers[0] if takers else None), line
    # Totals: the finance page's sums, the lines' sums and the payroll file agree, to the penny.
    for batch in summaries.batches():
        lines = [r.amount for r in rewards if r.batch_id == batch.pk] + [
            i.amount for i in items if i.batch_id == batch.pk
        ]
        assert lines and batch.total == sum(lines, ZERO)
        payroll = list(exports.payroll_rows(batch))[1:]
        assert sum(Decimal(row[7]) for row in payroll) == batch.total
        assert sum(row[8] + row[9] for row in payroll) == len(lines)


def test_expense_claims_are_consistent(seeded):
    for claim in ExpenseClaim.objects.prefetch_related("items"):
        statuses = {item.status for item in claim.items.all()}
        assert statuses
        if claim.status == ExpenseClaim.Status.DRAFT:
            assert claim.submitted_at is None and statuses == {"pending"}
        elif claim.status == ExpenseClaim.Status.SUBMITTED:
            assert claim.submitted_at and claim.decided_at is None and statuses == {"pending"}
        else:
            assert claim.submitted_at < claim.decided_at and "pending" not in statuses
            assert Participant.objects.filter(project=claim.project_id, member=claim.member_id).exists()
        for item in claim.items.all():
            assert item.date <= timezone.localtime(claim.created_at).date()
            if item.category == "mileage":
                assert item.amount == to_money(item.miles * item.mileage_rate)


def test_applications_decisions_and_snapshots_agree(seeded):
    applications = Application.objects.select_related("opportunity", "equality_snapshot").annotate(
        decisions_made=Count("decisions")
    )
    numbers = {}
    for application in applications:
        numbers.setdefault(application.opportunity_id, []).append(application.number)
        snapshot = application.equality_snapshot
        assert snapshot.taken_at == application.submitted_at
        assert snapshot.selected == (application.status == "selected")
        assert snapshot.shortlisted == (
            application.status in {"shortlisted", "selected", "not_selected", "waiting_list"}
        )
        if application.status in {"submitted", "withdrawn"}:
            assert application.decisions_made == 0
        else:
            last = application.decisions.order_by("at", "pk").last()
            assert (last.outcome, last.reason, last.at) == (
                application.status,
                application.decision_reason,
                application.decided_at,
            )
        if application.status == "selected":
            opportunity = application.opportunity
            assert opportunity.shortlisting_done_at < application.decided_at
            assert Participant.objects.filter(
                project=opportunity.project_id, member=application.applicant_id, status="active"
            ).exists()
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
    assert EqualitySnapshot.objects.count() == Application.objects.count()
    for opportunity in Opportunity.objects.filter(status="filled"):
        assert opportunity.applications.filter(status="selected").count() == opportunity.places


def test_training_records_follow_their_course(seeded):
    records = TrainingRecord.objects.select_related("course", "session")
    assert records.filter(evidence="attendance").exists() and records.filter(evidence="imported").exists()
    for record in records:
        assert record.expires_on == record.course.expiry_for(record.completed_on)
        if record.evidence == "attendance":
            assert record.session.day == record.completed_on
            assert TrainingBooking.objects.filter(session=record.session, person=record.person, status="attended")
    holding_places = (
        TrainingBooking.objects.exclude(status__in=["cancelled", "waiting"])
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session__places", "n")
    )
    assert all(held <= places for places, held in holding_places)
    assert records.filter(completed_on__gt=timezone.localdate()).count() == 0
    assert records.filter(completed_on__lt=timezone.localdate() - datetime.timedelta(days=500)).count() == 0
