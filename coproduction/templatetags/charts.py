"""Filters for the portal's simple SVG bar charts. Every chart sits beside a table of the same
figures, so the chart is hidden from screen readers and these only place bars."""

from django import template

register = template.Library()

BAR_ROW = 40  # px per bar: a label line and the bar under it


@register.filter
def bar_width(count, largest):
    """A bar's width as a percentage of the largest; suppressed counts ("*") draw no bar."""
    try:
        return round(100 * int(count) / int(largest)) if largest else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def bar_y(index, offset):
    return index * BAR_ROW + int(offset)


@register.filter
def chart_height(rows):
    return len(rows) * BAR_ROW
