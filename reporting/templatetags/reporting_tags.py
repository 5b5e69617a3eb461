"""Small filters for reporting pages: money, percentages and the trend chart. Bar charts use the
shared `charts` library. Each chart sits beside a table with the same figures."""

from django import template

from coproduction.templatetags.charts import BAR_ROW

register = template.Library()

TREND_STEP_WIDTH = 28  # px per self-assessment in the trend chart


@register.filter
def money(value):
    return "*" if value is None else f"£{value:,.2f}"


@register.filter
def percent(value):
    return "–" if value is None else f"{value}%"


@register.filter
def hours_shown(value):
    return "*" if value is None else f"{value:,}"


@register.filter
def days(value):
    return "–" if value is None else f"{value:g}"





@register.filter
def trend_x(index):
    return 220 + index * TREND_STEP_WIDTH


@register.filter
def trend_height(score):
    """Bar height for a score of 1 to 4 (max 28 px)."""
    return (score or 0) * 7


@register.filter
def trend_top(score, row):
    return int(row) * BAR_ROW + 32 - (score or 0) * 7


@register.filter
def at(sequence, index):
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None
