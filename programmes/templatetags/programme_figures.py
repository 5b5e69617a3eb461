"""Filters for showing co-production figures: ladder names."""

from django import template

from programmes.figures import ladder_label

register = template.Library()


@register.filter
def ladder_name(value):
    return ladder_label(value)

