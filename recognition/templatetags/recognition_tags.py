"""Money and time as people read them: "£1,234.50", "−£15.00", "1.5 hours"."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from recognition.money import hours as minutes_to_hours

register = template.Library()


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return "–"
    amount = Decimal(value)
    text = f"£{abs(amount):,.2f}"
    return f"−{text}" if amount < 0 else text


@register.filter
def hours_label(minutes) -> str:
    """Minutes as "1.5 hours" (or "1 hour")."""
    value = minutes_to_hours(minutes or 0)
    shown = hours_number(value)
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if value == 1 else 2) % {"hours": shown}


@register.filter
def hours_number(value) -> str:
    """A Decimal number of hours without a trailing ".0"."""
    value = Decimal(value or 0)
    return str(int(value)) if value == value.to_integral() else str(value.normalize())
