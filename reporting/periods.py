"""Reporting periods: calendar months and quarters (January–March, April–June, …)."""

import calendar
from datetime import date, timedelta

from reporting.models import Frequency


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_containing(day: date, frequency: str) -> tuple[date, date]:
    """The month or quarter that `day` falls in, as (first day, last day)."""
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
        return start, _month_end(start)
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return start, _month_end(date(day.year, first_month + 2, 1))


def next_period(start: date, frequency: str) -> tuple[date, date]:
    _, end = period_containing(start, frequency)
    return period_containing(end + timedelta(days=1), frequency)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end] (a calendar month or quarter when
    the period is one)."""
    before = start - timedelta(days=1)
    for frequency in (Frequency.MONTHLY, Frequency.QUARTERLY):
        if (start, end) == period_containing(start, frequency):
            return period_containing(before, frequency)
    return before - (end - start), before


def complete_periods(starts_on: date, frequency: str, *, today: date) -> list[tuple[date, date]]:
    """Every period from the one containing `starts_on` whose last day is before `today`."""
    periods = []
    start, end = period_containing(starts_on, frequency)
    while end < today:
        periods.append((start, end))
        start, end = next_period(start, frequency)
    return periods


def period_name(start: date, end: date) -> str:
    """ "March 2026", "January to March 2026", or the dates."""
    if (start, end) == period_containing(start, Frequency.MONTHLY):
        return f"{start:%B %Y}"
    if (start, end) == period_containing(start, Frequency.QUARTERLY):
        return f"{start:%B} to {end:%B %Y}"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"
