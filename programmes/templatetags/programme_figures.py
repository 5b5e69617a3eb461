"""Small filters for showing co-production figures: ladder names and the SVG bar chart."""

from django import template

from programmes.figures import ladder_label

register = template.Library()

BAR_ROW = 40  # px per bar: a label line and the bar under it


@register.filter
def ladder_name(value):
    return ladder_label(value)


@register.filter
def bar_width(count, largest):
    return round(100 * count / largest) if largest else 0


@register.filter
def bar_y(index, offset):
    return index * BAR_ROW + int(offset)


@register.filter
def bar_chart_height(rows):
    return rows * BAR_ROW
