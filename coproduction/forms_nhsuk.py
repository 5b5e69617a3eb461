"""Form fields for the NHS.UK template pack (templates/nhsuk/).

`NHSDateField` asks for a date as three boxes - day, month and year - the NHS.UK "date input"
pattern, and answers mistakes in plain English, as the NHS service manual and GOV.UK Design System
advise ("Date of birth must include a month", "Enter a real date").

    from coproduction.forms_nhsuk import NHSDateField, NHSDateInput

    class EventForm(forms.Form):
        starts_on = NHSDateField(label="Start date", help_text="For example, 27 3 2026")
        born_on = NHSDateField(
            label="Date of birth",
            must_be_in_the_past=True,
            widget=NHSDateInput(attrs={"autocomplete": "bday"}),  # fills bday-day, bday-month, bday-year
        )

The boxes are named `<name>-day`, `<name>-month` and `<name>-year` and have the ids
`<id>-day`, `<id>-month`, `<id>-year`. `cleaned_data` holds a `datetime.date` (or None).
"""

from __future__ import annotations

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")
PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4}

# Month names and abbreviations are accepted in the month box ("March", "Mar", "Sept").
MONTH_NAMES = {}
for _number in range(1, 13):
    MONTH_NAMES[calendar.month_name[_number].lower()] = _number
    MONTH_NAMES[calendar.month_abbr[_number].lower()] = _number
MONTH_NAMES["sept"] = 9


class NHSDateInput(forms.MultiWidget):
    """Three text boxes (day, month, year) in NHS.UK date-input markup.

    `attrs` apply to every box; `autocomplete="bday"` becomes bday-day / bday-month / bday-year.
    """

    template_name = "nhsuk/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput() for part in PARTS}, attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [str(parsed.day), str(parsed.month), str(parsed.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        if not isinstance(value, (list, tuple)):
            value = self.decompress(value)
        final_attrs = context["widget"]["attrs"]
        base_id = final_attrs.get("id") or f"id_{name}"
        error_parts = set(final_attrs.pop("data-nhsuk-error-parts", "").split())
        autocomplete = final_attrs.get("autocomplete")
        parts = []
        for index, part in enumerate(PARTS):
            part_value = value[index] if index < len(value) else None
            part_value = None if part_value in (None, "") else str(part_value)
            classes = ["nhsuk-input"]
            if part in error_parts:
                classes.append("nhsuk-input--error")
            classes += [f"nhsuk-input--width-{PART_WIDTHS[part]}", "nhsuk-date-input__input"]
            part_attrs = {
                "class": " ".join(classes),
                "id": f"{base_id}-{part}",
                "name": f"{name}-{part}",
                "type": "text",
                "value": part_value,
            }
            if autocomplete:
                part_attrs["autocomplete"] = f"bday-{part}" if autocomplete == "bday" else autocomplete
            part_attrs["inputmode"] = "numeric"
            own = self.widgets[index].attrs  # e.g. from crispy's MultiWidgetField
            for key, attr_value in {**final_attrs, **own}.items():
                if key in ("id", "class", "name", "type", "value", "required", "aria-invalid", "aria-describedby"):
                    continue
                if key == "autocomplete" and "autocomplete" in part_attrs:
                    continue
                part_attrs.setdefault(key, attr_value)
            if own.get("class"):
                part_attrs["class"] += " " + own["class"]
            if part in error_parts:
                part_attrs["aria-invalid"] = "true"
            parts.append(
                {
                    "key": part,
                    "label": PART_LABELS[part],
                    "id": part_attrs["id"],
                    "error": part in error_parts,
                    "attrs": part_attrs,
                }
            )
        context["widget"]["id"] = base_id
        context["widget"]["parts"] = parts
        return context


class NHSDateHiddenInput(NHSDateInput):
    """The same three values as hidden inputs (used when a layout hides the field)."""

    template_name = "nhsuk/widgets/date_hidden.html"

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, {part: forms.HiddenInput() for part in PARTS}, attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    @property
    def is_hidden(self):
        return True


def _join_parts(parts: list[str]) -> str:
    names = [str(PART_LABELS[part]).lower() for part in parts]
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _long_date(value: datetime.date) -> str:
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


class NHSDateField(forms.Field):
    """A date asked for as day, month and year boxes, with NHS.UK error messages.

    Options: `must_be_in_the_past`, `must_be_in_the_future`, `min_date`, `max_date`. Any message can
    be replaced through `error_messages` (keys: required, incomplete, invalid, year_digits, past,
    future, min_date, max_date; `%(label)s`, `%(parts)s` and `%(date)s` are filled in).
    """

    widget = NHSDateInput
    hidden_widget = NHSDateHiddenInput
    default_error_messages = {
        "required": _("Enter %(label_lower)s"),
        "incomplete": _("%(label)s must include a %(parts)s"),
        "invalid": _("Enter a real date"),
        "year_digits": _("Year must include 4 numbers"),
        "past": _("%(label)s must be in the past"),
        "future": _("%(label)s must be in the future"),
        "min_date": _("%(label)s must be the same as or after %(date)s"),
        "max_date": _("%(label)s must be the same as or before %(date)s"),
    }

    def __init__(
        self,
        *,
        must_be_in_the_past=False,
        must_be_in_the_future=False,
        min_date=None,
        max_date=None,
        **kwargs,
    ):
        self.must_be_in_the_past = must_be_in_the_past
        self.must_be_in_the_future = must_be_in_the_future
        self.min_date = min_date
        self.max_date = max_date
        self.error_parts: set[str] = set()
        self._name_label = None
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        self._name_label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    # Messages ---------------------------------------------------------------------------------
    def _subject(self) -> str:
        label = str(self.label or self._name_label or gettext("Date")).strip()
        if label.endswith("?") or label.endswith(":"):
            return gettext("The date")
        return label

    def _error(self, code: str, error_parts, **params) -> ValidationError:
        self.error_parts = set(error_parts)
        subject = self._subject()
        lower = subject[:1].lower() + subject[1:] if not subject[1:2].isupper() else subject
        params = {"label": subject[:1].upper() + subject[1:], "label_lower": lower, **params}
        return ValidationError(self.error_messages[code], code=code, params=params)

    # Cleaning ---------------------------------------------------------------------------------
    def to_python(self, value):
        self.error_parts = set()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error("invalid", PARTS) from None
        values = [("" if v is None else str(v)).strip() for v in list(value)[:3]]
        values += [""] * (3 - len(values))
        if not any(values):
            return None
        missing = [part for part, v in zip(PARTS, values, strict=True) if not v]
        if missing:
            raise self._error("incomplete", missing, parts=_join_parts(missing))
        day_text, month_text, year_text = values
        bad = []
        if not re.fullmatch(r"\d{1,2}", day_text):
            bad.append("day")
        month = MONTH_NAMES.get(month_text.lower().rstrip("."))
        if month is None:
            if re.fullmatch(r"\d{1,2}", month_text):
                month = int(month_text)
            else:
                bad.append("month")
        if not re.fullmatch(r"\d+", year_text):
            bad.append("year")
        if bad:
            raise self._error("invalid", bad)
        if len(year_text) != 4:
            raise self._error("year_digits", ["year"])
        day, year = int(day_text), int(year_text)
        if not 1 <= month <= 12:
            raise self._error("invalid", ["month"])
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise self._error("invalid", ["day"] if day > 31 or day < 1 else PARTS)
        return datetime.date(year, month, day)

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required", PARTS)
        if value is None:
            return
        today = datetime.date.today()
        if self.must_be_in_the_past and value >= today:
            raise self._error("past", PARTS)
        if self.must_be_in_the_future and value <= today:
            raise self._error("future", PARTS)
        if self.min_date and value < self.min_date:
            raise self._error("min_date", PARTS, date=_long_date(self.min_date))
        if self.max_date and value > self.max_date:
            raise self._error("max_date", PARTS, date=_long_date(self.max_date))

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError:
            self.error_parts = set(PARTS)
            raise

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        parts = set(self.error_parts)
        try:
            changed = self.to_python(data) != (self.to_python(initial) if initial not in self.empty_values else None)
        except ValidationError:
            changed = True
        self.error_parts = parts
        return changed
