"""Money and dates for recognition: pence-exact Decimal amounts and the UK tax year."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """An amount in pounds, rounded to the penny (half up, as people expect: 0.005 → 0.01)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def hours(minutes: int) -> Decimal:
    """Minutes as hours to one decimal place, for people to read ("1.5 hours")."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def tax_year_start(day: datetime.date) -> int:
    """The calendar year a UK tax year starts in: it runs from 6 April to the next 5 April."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def tax_year_label(start_year: int) -> str:
    return f"6 April {start_year} to 5 April {start_year + 1}"


def tax_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 6), datetime.date(start_year + 1, 4, 5)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier, when negative), kept inside shorter months."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
