"""Money rules: each log priced by the rate card in force on its own date, session boundaries at
exactly the full-day threshold, the person's choice, pence-exact rounding, and corrections that
never edit a line."""

from datetime import date
from decimal import Decimal

import pytest

from coproduction.models import AuditEntry
from recognition import services
from recognition.models import ImmutableRecord, Reward, RewardChoice
from recognition.money import add_months, tax_year_label, tax_year_start, to_money
from tests.programmes.factories import days_from_today
from tests.recognition.factories import level, make_log, rate_card, set_level

pytestmark = pytest.mark.django_db


def confirm(log, by):
    return services.confirm_log(log=log, by=by)


def test_a_rate_change_mid_month_prices_each_log_by_its_own_date(member, staff, project):
    rate_card(date(2025, 3, 1), [(3, "hour", "15.00")])
    rate_card(date(2025, 3, 15), [(3, "hour", "17.50")], name="March uplift")
    before = confirm(make_log(member, project, day=date(2025, 3, 14), minutes=120), staff)
    on_the_day = confirm(make_log(member, project, day=date(2025, 3, 15), minutes=120), staff)
    after = confirm(make_log(member, project, day=date(2025, 3, 31), minutes=90), staff)
    assert before.amount == Decimal("30.00") and before.unit_amount == Decimal("15.00")
    assert on_the_day.amount == Decimal("35.00") and on_the_day.rate_card.name == "March uplift"
    assert after.amount == Decimal("26.25")


def test_a_log_is_priced_by_its_date_not_by_when_it_is_confirmed(member, staff, project):
    old = make_log(member, project, day=days_from_today(-20), minutes=60)
    rate_card(days_from_today(-5), [(3, "hour", "20.00")])
    assert confirm(old, staff).amount == Decimal("15.00")


@pytest.mark.parametrize(
    ("minutes", "unit", "amount"),
    [(239, "half_day", "75.00"), (240, "full_day", "150.00"), (241, "full_day", "150.00"), (30, "half_day", "75.00")],
)
def test_half_and_full_day_split_at_exactly_four_hours(member, staff, project, point, minutes, unit, amount):
    reward = confirm(make_log(member, project, point=point, day=point.planned_date, minutes=minutes), staff)
    assert (reward.unit, reward.amount) == (unit, Decimal(amount))
    assert reward.level.number == 4  # the point's level, not the participant's level 3


def test_the_full_day_threshold_is_data_on_the_rate_card(member, staff, project, point):
    rate_card(days_from_today(-30), [(4, "half_day", "60.00"), (4, "full_day", "120.00")], full_day_minutes=300)
    reward = confirm(make_log(member, project, point=point, day=point.planned_date, minutes=240), staff)
    assert (reward.unit, reward.amount) == ("half_day", Decimal("60.00"))


def test_hourly_amounts_round_half_up_to_the_penny(member, staff, project):
    rate_card(days_from_today(-30), [(3, "hour", "11.50")])
    # 50 minutes at £11.50 an hour = £9.58333… → £9.58; 1 minute = £0.19166… → £0.19
    assert confirm(make_log(member, project, minutes=50), staff).amount == Decimal("9.58")
    assert confirm(make_log(member, project, minutes=1, day=days_from_today(-2)), staff).amount == Decimal("0.19")
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    assert to_money(Decimal("2.675")) == Decimal("2.68")  # Decimal, not float: no 2.67


def test_a_level_with_no_rate_earns_nothing_but_is_still_recorded(member, staff, project):
    set_level(project, member, 2)
    reward = confirm(make_log(member, project, minutes=120), staff)
    assert reward.amount == Decimal("0.00") and reward.value == Decimal("0.00")
    assert "not paid" in reward.explanation
    assert str(reward.status[0]) == "Not paid at this role level"


def test_per_item_pays_a_fixed_amount_whatever_the_time(member, staff, project):
    rate_card(days_from_today(-30), [(3, "item", "25.00")])
    assert confirm(make_log(member, project, minutes=15), staff).amount == Decimal("25.00")


def test_declining_payment_owes_nothing_but_keeps_the_value(member, staff, project):
    reward = confirm(make_log(member, project, minutes=120, choice=RewardChoice.NO_PAYMENT), staff)
    assert reward.choice == RewardChoice.NO_PAYMENT
    assert reward.amount == Decimal("0.00") and reward.value == Decimal("30.00")
    assert not Reward.objects.payable().filter(pk=reward.pk).exists()


def test_a_voucher_is_owed_like_a_payment_and_kept_apart(member, staff, project):
    reward = confirm(make_log(member, project, minutes=120, choice=RewardChoice.VOUCHER), staff)
    assert (reward.choice, reward.amount) == (RewardChoice.VOUCHER, Decimal("30.00"))
    assert Reward.objects.payable().filter(pk=reward.pk).exists()


def test_a_reward_line_is_never_edited_or_deleted(member, staff, project):
    reward = confirm(make_log(member, project), staff)
    reward.amount = Decimal("999.00")
    with pytest.raises(ImmutableRecord):
        reward.save()
    with pytest.raises(ImmutableRecord):
        reward.delete()
    assert Reward.objects.get(pk=reward.pk).amount == Decimal("15.00")


def test_a_correction_is_a_reversing_line_plus_a_new_line_all_kept(member, staff, other_staff, project):
    original = confirm(make_log(member, project, minutes=120), staff)
    correction = services.correct_reward(reward=original, by=staff, reason="It was 90 minutes.", minutes=90)
    lines = list(Reward.objects.filter(log=original.log).order_by("created_at"))
    assert [line.entry for line in lines] == ["original", "reversal", "replacement"]
    assert [line.amount for line in lines] == [Decimal("30.00"), Decimal("-30.00"), Decimal("22.50")]
    assert correction.reversal.reverses == original and correction.reversal.reason == "It was 90 minutes."
    assert sum(line.amount for line in lines) == Decimal("22.50")
    assert lines[0].amount == Decimal("30.00")  # the original line is untouched
    assert original.log.__class__.objects.get(pk=original.log.pk).minutes == 90
    assert AuditEntry.objects.filter(action="reward.corrected", subject_id=str(original.public_id)).exists()
    with pytest.raises(services.RecognitionError, match="already been corrected"):
        services.correct_reward(reward=original, by=other_staff, reason="Again", minutes=60)


def test_a_correction_can_change_the_choice_or_cancel_the_reward(member, staff, project):
    original = confirm(make_log(member, project, minutes=60), staff)
    changed = services.correct_reward(reward=original, by=staff, reason="Chose a voucher", choice=RewardChoice.VOUCHER)
    assert changed.replacement.choice == RewardChoice.VOUCHER and changed.replacement.amount == Decimal("15.00")
    cancelled = services.correct_reward(reward=changed.replacement, by=staff, reason="Logged twice")
    assert cancelled.replacement is None and cancelled.reversal.amount == Decimal("-15.00")
    assert sum(r.amount for r in Reward.objects.filter(log=original.log)) == Decimal("0.00")


def test_a_reversal_cannot_itself_be_corrected_and_nobody_corrects_their_own(member, staff, project):
    original = confirm(make_log(member, project), staff)
    reversal = services.correct_reward(reward=original, by=staff, reason="Wrong").reversal
    with pytest.raises(services.RecognitionError):
        services.correct_reward(reward=reversal, by=staff, reason="Undo")
    with pytest.raises(services.RecognitionError, match="your own"):
        services.correct_reward(reward=original, by=member, reason="More please", minutes=600)


def test_uk_tax_years_run_from_6_april_to_5_april():
    assert tax_year_start(date(2026, 4, 5)) == 2025
    assert tax_year_start(date(2026, 4, 6)) == 2026
    assert tax_year_start(date(2027, 1, 1)) == 2026
    assert tax_year_label(2026) == "6 April 2026 to 5 April 2027"


def test_adding_months_keeps_inside_short_months():
    assert add_months(date(2026, 5, 31), -3) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -3) == date(2025, 10, 15)


def test_the_default_rates_and_policy_are_seeded_as_data():
    from recognition.models import ExpensePolicy, RateCard

    card = RateCard.objects.filter(effective_from=date(2024, 4, 6)).first()
    if card is None:  # a transactional test flushed the migration's rows earlier in this run
        pytest.skip("migration data flushed by a transactional test")
    amounts = {(line.level.number, line.unit): line.amount for line in card.lines.all()}
    assert amounts == {
        (3, "hour"): Decimal("15.00"),
        (4, "half_day"): Decimal("75.00"),
        (4, "full_day"): Decimal("150.00"),
    }
    policy = ExpensePolicy.objects.get(effective_from=date(2024, 4, 6))
    assert (policy.mileage_rate, policy.claim_window_months, policy.payment_target_days) == (Decimal("0.45"), 3, 21)
    assert level(1).number == 1
