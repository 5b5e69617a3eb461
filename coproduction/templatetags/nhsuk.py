"""Template tags for the NHS.UK crispy-forms template pack (templates/nhsuk/).

    {% load nhsuk %}
    {% nhsuk_error_summary form %}              the "There is a problem" box for one or more forms
    {% nhsuk_error_summary form other_form %}   (or formsets); shown once per form on a page
    {% nhsuk_field form.email %}                one field in NHS.UK markup
    {% nhsuk_field form.email label="Email address" hint="We will only use it to contact you" %}
    {% nhsuk_field form.code label_size="m" classes="nhsuk-input--width-10" attr_inputmode="numeric" %}
    {% nhsuk_fields form %}                     every field of a form, without the error summary

`{{ form|crispy }}` and `{% crispy form %}` use the same templates, through CRISPY_TEMPLATE_PACK.

The markup follows NHS.UK frontend 10 (node_modules/nhsuk-frontend/.../fixtures.json). Widgets are
drawn by the templates in templates/nhsuk/widgets/ from each widget's own context, so every field
type gets NHS.UK classes, hint and error ids, and aria-describedby.
"""

from __future__ import annotations

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.forms.utils import pretty_name
from django.forms.widgets import Input
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from coproduction.forms_nhsuk import PARTS, NHSDateInput

register = template.Library()

SUMMARY_SHOWN = "_nhsuk_error_summary_shown"
FIELDSET_KINDS = {"radios", "checkboxes", "date", "multi"}


# Attributes ---------------------------------------------------------------------------------------
def flatatt(attrs) -> SafeString:
    """HTML attributes in the order given: True gives a bare attribute, False and None are left out."""
    html = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        if value is True:
            html.append(format_html(" {}", name))
        else:
            html.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(html))  # noqa: S308 - every piece went through format_html


@register.filter(name="nhsuk_flatatt")
def flatatt_filter(attrs):
    return flatatt(attrs or {})


def join_classes(*groups) -> str:
    seen = []
    for group in groups:
        if not group:
            continue
        for name in str(group).split() if isinstance(group, str) else group:
            if name and name not in seen:
                seen.append(name)
    return " ".join(seen)


# What a field is ---------------------------------------------------------------------------------
def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, NHSDateInput) and not widget.is_hidden:
        return "date"
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    if isinstance(widget, Input):
        return "input"
    return "other"


def base_id(bound_field) -> str:
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or f"id_{bound_field.html_name}"


def _choice_options(bound_field, attrs):
    widget = bound_field.field.widget
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    options = []
    for _group, group_options, _index in context["optgroups"]:
        options.extend(group_options)
    return context, options


def input_id(bound_field) -> str:
    """The id of the first box a person would type in or choose: the error summary links here."""
    kind = field_kind(bound_field)
    identifier = base_id(bound_field)
    if kind == "date":
        parts = getattr(bound_field.field, "error_parts", None) or set() if bound_field.errors else set()
        first = next((part for part in PARTS if part in parts), "day")
        return f"{identifier}-{first}"
    if kind in ("radios", "checkboxes"):
        _context, options = _choice_options(bound_field, {"id": identifier})
        if options and options[0]["attrs"].get("id"):
            return options[0]["attrs"]["id"]
    if kind == "multi":
        return f"{identifier}_0"
    return identifier


# Error summary -----------------------------------------------------------------------------------
def _forms_in(items):
    """The forms and formsets given (lists allowed), each once, a formset followed by its forms."""
    found = []

    def add(item):
        if item is None or item == "" or any(item is seen for seen in found):
            return
        if isinstance(item, (list, tuple)):
            for each in item:
                add(each)
        elif isinstance(item, BaseFormSet):
            found.append(item)
            for form in item.forms:
                add(form)
        elif hasattr(item, "non_field_errors"):
            found.append(item)

    add(items)
    return found


def error_summary_items(*items):
    """[{"text", "href"}] for every error in the forms (or formsets), non-field errors first."""
    errors = []
    for form in _forms_in(items):
        if isinstance(form, BaseFormSet):
            errors += [{"text": error, "href": None} for error in form.non_form_errors()]
            continue
        errors += [{"text": error, "href": None} for error in form.non_field_errors()]
        for bound_field in form:
            for error in bound_field.errors:
                if bound_field.is_hidden:
                    errors.append({"text": f"{bound_field.label}: {error}", "href": None})
                else:
                    errors.append({"text": error, "href": f"#{input_id(bound_field)}"})
    return errors


@register.simple_tag
def nhsuk_error_summary(*items, description="", force=False):
    """The NHS.UK error summary for one or more forms or formsets.

    A form's summary is shown once per page: a second call for the same form (say, the pack's own,
    after the page put one above its heading) prints nothing. `force=True` shows it again.
    """
    forms_to_show = [form for form in _forms_in(items) if force or not getattr(form, SUMMARY_SHOWN, False)]
    errors = []
    for form in forms_to_show:
        errors += (
            error_summary_items(form)
            if not isinstance(form, BaseFormSet)
            else [{"text": error, "href": None} for error in form.non_form_errors()]
        )
        setattr(form, SUMMARY_SHOWN, True)
    if not errors:
        return ""
    return render_to_string("nhsuk/error_summary.html", {"errors": errors, "description": description})


@register.filter
def nhsuk_has_errors(form):
    """True when the form (or formset) has any error: for "Error: " in the page title."""
    return bool(error_summary_items(form))


# Fields ------------------------------------------------------------------------------------------
def _widget_attrs(bound_field, identifier):
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    attrs = bound_field.build_widget_attrs({"id": identifier}, widget)
    attrs.pop("aria-describedby", None)  # ours comes from the hint and error ids
    return attrs


def _label_text(bound_field, kind, overrides):
    label = overrides.get("label")
    if label is None:
        label = bound_field.label
    label = str(label or "").strip()
    if not label:
        return pretty_name(bound_field.name), False
    optional = gettext("(optional)")
    if not bound_field.field.required and kind != "checkbox" and not label.endswith(optional):
        label = f"{label} {optional}"
    return label, True


def _render(template_name, context):
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's own output


def _ordered(first: dict, rest: dict, skip=(), last: dict | None = None) -> dict:
    attrs = dict(first)
    for name, value in rest.items():
        if name in attrs or name in skip:
            continue
        attrs[name] = value
    for name, value in (last or {}).items():
        attrs[name] = value
    return attrs


def _own_classes(widget_attrs, *remove):
    return [name for name in str(widget_attrs.get("class", "")).split() if name not in remove]


def _build(bound_field, context, overrides):  # noqa: C901 - one branch per kind of widget
    kind = field_kind(bound_field)
    widget = bound_field.field.widget
    identifier = base_id(bound_field)
    show_errors = context.get("form_show_errors", True) is not False
    errors = list(bound_field.errors) if show_errors else []
    label, label_visible = _label_text(bound_field, kind, overrides)
    hint = overrides.get("hint", bound_field.help_text)
    hint = mark_safe(str(hint)) if hint else ""  # noqa: S308 - help text is HTML in Django, as in as_p()
    field = {
        "bound_field": bound_field,
        "kind": kind,
        "base_id": identifier,
        "id": identifier,
        "label": label,
        "show_label": label_visible and context.get("form_show_labels", True) is not False,
        "label_size": overrides.get("label_size") or context.get("nhsuk_label_size", ""),
        "label_tag": overrides.get("label_tag") or "",
        "hint": hint,
        "hint_id": f"{identifier}-hint",
        "errors": errors,
        "error_id": f"{identifier}-error",
        "group_attrs": {},
        "group_classes": ["nhsuk-form-group"],
        "extra": "",
    }
    if errors:
        field["group_classes"].append("nhsuk-form-group--error")
    described = []
    if hint:
        described.append(field["hint_id"])
    if errors:
        described.append(field["error_id"])
    own_described = widget.attrs.get("aria-describedby")
    if own_described:
        described.append(own_described)
    extra_classes = overrides.get("classes", "")
    extra_attrs = overrides.get("attrs", {})
    attrs = _widget_attrs(bound_field, identifier)
    attrs.update(extra_attrs)
    skip = ("class", "id", "placeholder", "aria-describedby")

    if kind == "hidden":
        field["control"] = _hidden(bound_field, attrs)
        return field

    if kind in ("input", "password", "other"):
        if kind == "other":
            field["control"] = bound_field.as_widget(attrs={**attrs, "aria-describedby": " ".join(described) or None})
        else:
            ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
            given = ctx["attrs"]
            input_type = ctx["type"]
            first = {"class": None, "id": given.get("id"), "name": ctx["name"], "type": input_type}
            classes = ["nhsuk-input"] + (["nhsuk-input--error"] if errors else [])
            if kind == "password":
                classes += ["nhsuk-password-input__input", "nhsuk-js-password-input-input"]
                first["spellcheck"] = "false"
                field["group_classes"].append("nhsuk-password-input")
                field["group_attrs"]["data-module"] = "nhsuk-password-input"
            if isinstance(widget, forms.NumberInput):
                # NHS.UK and GOV.UK advise type="text" with a numeric keyboard, not type="number".
                step = str(given.get("step", "1"))
                first["type"] = "text"
                first["inputmode"] = "numeric" if step == "1" else "decimal"
                skip = (*skip, "min", "max", "step")
            first["value"] = ctx["value"]
            if input_type in ("email", "url"):
                first["spellcheck"] = "false"
            classes += _own_classes(given, "nhsuk-input") + extra_classes.split()
            first["class"] = join_classes(classes)
            input_attrs = _ordered(first, given, skip, {"aria-describedby": " ".join(described) or None})
            field["control"] = _render("nhsuk/widgets/input.html", {"attrs": input_attrs, "field": field})
        return field

    if kind == "textarea":
        ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
        given = dict(ctx["attrs"])
        if given.get("rows") == "10" and given.get("cols") == "40":  # Django's defaults; NHS.UK uses 5 rows
            given["rows"] = "5"
        maxlength = given.pop("maxlength", None)
        classes = ["nhsuk-textarea"] + (["nhsuk-textarea--error"] if errors else [])
        if maxlength:
            # The character count component: the message is the fallback without JavaScript.
            classes.append("nhsuk-js-character-count")
            field["group_classes"].append("nhsuk-character-count")
            field["group_attrs"].update({"data-module": "nhsuk-character-count", "data-maxlength": maxlength})
            field["info_id"] = f"{identifier}-info"
            field["maxlength"] = maxlength
            described.insert(0, field["info_id"])
        classes += _own_classes(given, "nhsuk-textarea") + extra_classes.split()
        first = {"class": join_classes(classes), "id": given.get("id"), "name": ctx["name"], "rows": given.get("rows")}
        textarea_attrs = _ordered(first, given, (*skip, "cols"), {"aria-describedby": " ".join(described) or None})
        field["control"] = _render(
            "nhsuk/widgets/textarea.html", {"attrs": textarea_attrs, "value": ctx["value"] or "", "field": field}
        )
        return field

    if kind == "select":
        ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
        given = ctx["attrs"]
        classes = ["nhsuk-select"] + (["nhsuk-select--error"] if errors else [])
        classes += _own_classes(given, "nhsuk-select") + extra_classes.split()
        first = {"class": join_classes(classes), "id": given.get("id"), "name": ctx["name"]}
        if ctx.get("attrs", {}).get("multiple") or getattr(widget, "allow_multiple_selected", False):
            first["multiple"] = True
        select_attrs = _ordered(first, given, skip, {"aria-describedby": " ".join(described) or None})
        field["control"] = _render(
            "nhsuk/widgets/select.html", {"attrs": select_attrs, "optgroups": ctx["optgroups"], "field": field}
        )
        return field

    if kind in ("radios", "checkboxes"):
        ctx, options = _choice_options(bound_field, attrs)
        prefix = "nhsuk-radios" if kind == "radios" else "nhsuk-checkboxes"
        container = [prefix] + _own_classes(widget.attrs, prefix) + extra_classes.split()
        if context.get("inline_class"):
            container.append(f"{prefix}--inline")
        items = []
        for option in options:
            option_attrs = option["attrs"]
            first = {
                "class": f"{prefix}__input",
                "id": option_attrs.get("id"),
                "name": option["name"],
                "type": option["type"],
                "value": "" if option["value"] is None else str(option["value"]),
                "checked": bool(option["selected"]),
            }
            item_attrs = _ordered(first, option_attrs, (*skip, "checked", "aria-invalid"))
            items.append({"attrs": item_attrs, "id": option_attrs.get("id"), "label": option["label"]})
        if items:
            field["id"] = items[0]["id"] or identifier
        field["describedby"] = " ".join(described)
        field["control"] = _render(
            "nhsuk/widgets/choices.html",
            {"items": items, "prefix": prefix, "container_class": join_classes(container), "field": field},
        )
        return field

    if kind == "checkbox":
        ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
        given = ctx["attrs"]
        first = {
            "class": join_classes(["nhsuk-checkboxes__input"] + extra_classes.split()),
            "id": given.get("id"),
            "name": ctx["name"],
            "type": "checkbox",
            "value": ctx["value"],
        }
        checkbox_attrs = _ordered(first, given, skip, {"aria-describedby": " ".join(described) or None})
        container = ["nhsuk-checkboxes"] + _own_classes(widget.attrs, "nhsuk-checkboxes")
        field["container_class"] = join_classes(container)
        field["control"] = _render("nhsuk/widgets/checkbox.html", {"attrs": checkbox_attrs, "field": field})
        return field

    if kind == "file":
        ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
        given = dict(ctx["attrs"])
        clear_checked = given.pop("checked", False)
        field["group_classes"].append("nhsuk-file-upload")
        field["group_attrs"]["data-module"] = "nhsuk-file-upload"
        classes = ["nhsuk-file-upload__input"] + _own_classes(given) + extra_classes.split()
        first = {"class": join_classes(classes), "id": given.get("id"), "name": ctx["name"], "type": "file"}
        file_attrs = _ordered(first, given, (*skip, "value"), {"aria-describedby": " ".join(described) or None})
        field["control"] = _render("nhsuk/widgets/file.html", {"attrs": file_attrs, "field": field})
        if ctx.get("is_initial"):
            field["extra"] = _render(
                "nhsuk/widgets/file_current.html",
                {
                    "widget": ctx,
                    "field": field,
                    "can_clear": not bound_field.field.required and not bound_field.field.disabled,
                    "clear_attrs": {
                        "class": "nhsuk-checkboxes__input",
                        "id": ctx["checkbox_id"],
                        "name": ctx["checkbox_name"],
                        "type": "checkbox",
                        "checked": bool(clear_checked),
                        "disabled": bool(given.get("disabled")),
                    },
                },
            )
        return field

    if kind == "date":
        parts = set(getattr(bound_field.field, "error_parts", None) or PARTS) if errors else set()
        date_attrs = dict(attrs)
        date_attrs.pop("required", None)
        date_attrs.pop("aria-invalid", None)
        if parts:
            date_attrs["data-nhsuk-error-parts"] = " ".join(sorted(parts))
        ctx = widget.get_context(bound_field.html_name, bound_field.value(), date_attrs)
        field["id"] = input_id(bound_field) if errors else f"{identifier}-day"
        field["describedby"] = " ".join(described)
        field["control"] = _render(widget.template_name, ctx)
        return field

    # Any other MultiWidget (SplitDateTimeWidget and the like): one box per part, in a fieldset.
    ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    names = [gettext("Date"), gettext("Time")] if isinstance(widget, forms.SplitDateTimeWidget) else []
    parts = []
    for index, sub in enumerate(ctx["subwidgets"]):
        sub_attrs = sub["attrs"]
        classes = ["nhsuk-input"] + (["nhsuk-input--error"] if errors else []) + _own_classes(sub_attrs, "nhsuk-input")
        first = {"class": join_classes(classes), "id": sub_attrs.get("id"), "name": sub["name"], "type": sub["type"]}
        first["value"] = sub["value"]
        parts.append(
            {
                "label": names[index] if index < len(names) else gettext("Part %(number)s") % {"number": index + 1},
                "id": sub_attrs.get("id"),
                "attrs": _ordered(first, sub_attrs, (*skip, "required")),
            }
        )
    field["id"] = parts[0]["id"] if parts else identifier
    field["describedby"] = " ".join(described)
    field["control"] = _render("nhsuk/widgets/multi.html", {"parts": parts, "field": field})
    return field


def _hidden(bound_field, attrs):
    widget = bound_field.field.widget
    ctx = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    inputs = []
    if "parts" in ctx:  # NHSDateHiddenInput
        for part in ctx["parts"]:
            inputs.append({"type": "hidden", "name": part["attrs"]["name"], "value": part["attrs"]["value"]})
    elif "subwidgets" in ctx:
        for sub in ctx["subwidgets"]:
            inputs.append({"type": "hidden", "name": sub["name"], "value": sub["value"], "id": sub["attrs"].get("id")})
    else:
        inputs.append({"type": "hidden", "name": ctx["name"], "value": ctx["value"], "id": ctx["attrs"].get("id")})
    return _render("nhsuk/widgets/hidden.html", {"inputs": inputs})


@register.simple_tag(takes_context=True)
def nhsuk_prepare_field(context, bound_field):
    """Everything field.html needs for one field: kind, ids, label, hint, errors and the control."""
    overrides = context.get("nhsuk_overrides") or {}
    field = _build(bound_field, context, overrides)
    field["prefix"] = overrides.get("prefix") or context.get("nhsuk_prefix") or ""
    field["suffix"] = overrides.get("suffix") or context.get("nhsuk_suffix") or ""
    field["buttons"] = context.get("nhsuk_buttons") or ""
    field["group_classes"] += [context.get("wrapper_class") or "", bound_field.css_classes()]
    field["group_class"] = join_classes(field["group_classes"])
    field["group_attrs_html"] = flatatt(field["group_attrs"])
    field["show_hidden_initial"] = bound_field.field.show_hidden_initial
    if field["show_hidden_initial"]:
        field["initial_input"] = {
            "type": "hidden",
            "name": bound_field.html_initial_name,
            "value": bound_field.field.widget.format_value(bound_field.initial)
            if not isinstance(bound_field.field.widget, forms.MultiWidget)
            else None,
            "id": bound_field.html_initial_id,
        }
    return field


def _overrides(kwargs):
    overrides = {}
    attrs = {}
    for name, value in kwargs.items():
        if name.startswith("attr_"):
            attrs[name[5:].replace("_", "-")] = value
        else:
            overrides[name] = value
    overrides["attrs"] = attrs
    return overrides


@register.simple_tag
def nhsuk_field(bound_field, **kwargs):
    """One field through the pack. Options: label, hint (an empty hint hides the field's help text),
    label_size (s, m, l, xl), label_tag (h1: the label or legend is the page heading), classes (added
    to the input, e.g. "nhsuk-input--width-10"), and attr_<name> for any other attribute."""
    if bound_field is None or bound_field == "":
        return ""
    context = {
        "field": bound_field,
        "form_show_errors": True,
        "form_show_labels": True,
        "nhsuk_overrides": _overrides(kwargs),
    }
    return _render("nhsuk/field.html", context)


@register.simple_tag
def nhsuk_fields(form, **kwargs):
    """Every field of the form through the pack (hidden ones too), without the error summary."""
    return mark_safe("".join(nhsuk_field(bound_field) for bound_field in form))  # noqa: S308


@register.filter
def nhsuk_button_classes(classes):
    """crispy-forms' button classes without Bootstrap's (btn, btn-primary ...)."""
    return " ".join(name for name in str(classes or "").split() if not name.startswith("btn"))


@register.filter
def nhsuk_strict_button_attrs(flat_attrs):
    """A crispy StrictButton's attributes with NHS.UK button classes in place of Bootstrap's."""
    import re

    text = str(flat_attrs or "")
    match = re.search(r'\sclass="([^"]*)"', text)
    classes = join_classes(["nhsuk-button"], nhsuk_button_classes(match.group(1) if match else ""))
    text = text.replace(match.group(0), "") if match else text
    return mark_safe(format_html(' class="{}"', classes) + text)  # noqa: S308 - crispy escaped the rest
