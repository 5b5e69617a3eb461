"""A member's profile, access needs and equality answers, and every signed-in person's "your data".

These pages are always about the person signed in: no ids in the URLs, so nobody can reach anyone
else's. Each view: permission → form → service → message → redirect.
"""

import datetime
import json
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from people import personal_data
from people import services_profiles as services
from people.forms_profiles import (
    AccessNeedsForm,
    ContactConsentForm,
    DeleteAccountForm,
    EqualityForm,
    PrivacyNoticeForm,
    ProfileForm,
)
from people.models.profiles import DELETION_COOLING_OFF_DAYS, PRIVACY_NOTICE_VERSION, EqualityMonitoring


def _posted(request):
    """The POST data on a POST (even an empty one, which must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied


def _profile_crumbs():
    return [(_("Your profile"), reverse("people:profile"))]


def _your_data_crumbs():
    return [(_("Your data"), reverse("people:your_data"))]


# Profile ------------------------------------------------------------------------------------------
def profile(request):
    """What we know about the member, with a "Change" link for each part."""
    _require(request.user, "people.keep_profile")
    user = request.user
    member_profile = services.profile_for(user)
    return render(
        request,
        "people/profile/detail.html",
        {
            "profile": member_profile,
            "lived_experience": list(member_profile.lived_experience.all()),
            "needs": services.access_needs_of(user),
            # Only how many were answered: the answers themselves are shown only on the form.
            "equality_answered": EqualityMonitoring.objects.answered_count(user),
            "equality_total": len(EqualityMonitoring.QUESTIONS),
            "privacy_agreement": services.latest_privacy_agreement(user),
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        },
    )


def profile_edit(request):
    _require(request.user, "people.keep_profile")
    user = request.user
    member_profile = services.profile_for(user)
    form = ProfileForm(_posted(request), initial=ProfileForm.initial_for(user, member_profile))
    if request.method == "POST" and form.is_valid():
        services.save_profile(user=user, request=request, **form.profile_fields())
        messages.success(request, _("Your profile is saved."))
        return redirect("people:profile")
    return render(
        request,
        "people/profile/form_page.html",
        {
            "form": form,
            "title": _("About you") if member_profile.is_complete else _("Tell us about you"),
            "intro": _("We use this to contact you in the way you prefer and to thank you for your time."),
            "breadcrumbs": _profile_crumbs(),
            "uses_layout": True,
        },
    )


def access_needs(request):
    _require(request.user, "people.keep_profile")
    user = request.user
    form = AccessNeedsForm(_posted(request), initial=AccessNeedsForm.initial_for(services.access_needs_of(user)))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_access_needs(
                user=user,
                needs=form.cleaned_data["needs"],
                other_details=form.cleaned_data["other_details"],
                request=request,
            )
        except services.DataRightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your access needs are saved."))
            return redirect("people:profile")
    return render(
        request,
        "people/profile/access_needs.html",
        {"form": form, "title": _("Your communication and access needs"), "breadcrumbs": _profile_crumbs()},
    )


def equality(request):
    """The member's own equality answers: the only page that ever shows them one person at a time."""
    _require(request.user, "people.keep_profile")
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "clear":
        if services.clear_equality_answers(user=user, request=request):
            messages.success(request, _("Your equality answers are deleted."))
        return redirect("people:profile")
    if request.method == "POST":
        form = EqualityForm(request.POST)
        if form.is_valid():
            services.save_equality_answers(user=user, answers=form.answers(), request=request)
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("people:profile")
        has_answers = EqualityMonitoring.objects.filter(user=user).exists()
    else:
        record = services.read_equality_answers(user=user, purpose="own form", request=request)
        form = EqualityForm(initial=EqualityForm.initial_for(record))
        has_answers = record is not None
    return render(
        request,
        "people/profile/equality.html",
        {
            "form": form,
            "title": _("Equality monitoring questions"),
            "has_answers": has_answers,
            "breadcrumbs": _profile_crumbs(),
        },
    )


# Your data ----------------------------------------------------------------------------------------
# Where a person can correct each part of the download.
CORRECT_AT = {
    "account": ("my_account", gettext_lazy("Change your name, email address or password")),
    "profile": ("people:profile_edit", gettext_lazy("Change your profile")),
    "access_needs": ("people:access_needs", gettext_lazy("Change your access needs")),
    "equality": ("people:equality", gettext_lazy("See or change your equality answers")),
    "consent": ("people:consent", gettext_lazy("Change what you agree to")),
}
# Equality answers are shown on the page as a count only; they are in the download (audited) and on
# their own form. Any part of another topic's section whose key starts with "equality" is left off
# the page the same way.
SUMMARY_ONLY = {"equality"}
IN_DOWNLOAD_ONLY = {"kind": "text", "text": gettext_lazy("In your download only, to keep it private")}


# Labels the plain "first letter capital, underscores as spaces" rule gets wrong.
LABELS = {
    "ip_address": gettext_lazy("IP address"),
    "nhs_ethnic_category_code": gettext_lazy("NHS ethnic category code"),
}
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _humanise(key) -> str:
    if key in LABELS:
        return str(LABELS[key])
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j F Y, H:i")
    return str(value)


def _present(value):
    """A JSON-ready value as a small tree the template can draw.

    kinds: "text"; "rows" (a summary list of short answers, then "blocks": longer parts, each under
    its own heading); "table" (records of one shape); "items" (records of different shapes).
    """
    if isinstance(value, dict):
        rows, blocks = [], []
        for key, item in value.items():
            shown = _part(key, item)
            (rows if shown["kind"] == "text" else blocks).append((_humanise(key), shown))
        return {"kind": "rows", "rows": rows, "blocks": blocks}
    if isinstance(value, (list, tuple)):
        if not value:
            return {"kind": "text", "text": _("None")}
        if all(not isinstance(item, (dict, list, tuple)) for item in value):
            return {"kind": "text", "text": ", ".join(_text(item) for item in value)}
        if all(isinstance(item, dict) for item in value) and len({tuple(item) for item in value}) == 1:
            keys = list(value[0])
            return {
                "kind": "table",
                "headers": [_humanise(key) for key in keys],
                "rows": [[(_humanise(key), _as_text(key, item[key])) for key in keys] for item in value],
            }
        return {"kind": "items", "items": [_present(item) for item in value]}
    return {"kind": "text", "text": _text(value)}


def _part(key, value):
    """One named part of a record. Equality answers (ours, or another topic's copy of them) stay
    off the page: see SUMMARY_ONLY."""
    if str(key).startswith("equality") and value not in (None, "", [], {}):
        return IN_DOWNLOAD_ONLY
    return _present(value)


def _as_text(key, value) -> str:
    shown = _part(key, value)
    if shown["kind"] == "text":
        return shown["text"]
    return json.dumps(value, ensure_ascii=False, default=str)


# Our sections first, in the order a person thinks of them; other topics' after, as registered.
SECTION_ORDER = ["account", "profile", "access_needs", "consent", "programmes", "deletion_requests"]


def your_data(request):
    """Everything held about the person, readable, with where to correct it, download it or delete it."""
    user = request.user
    sections = []
    ordered = sorted(
        personal_data.SECTIONS.items(),
        key=lambda pair: SECTION_ORDER.index(pair[0]) if pair[0] in SECTION_ORDER else len(SECTION_ORDER),
    )
    for key, section in ordered:
        if key in SUMMARY_ONLY:
            continue
        url_name, link_text = CORRECT_AT.get(key, (None, None))
        sections.append(
            {
                "key": key,
                "title": section.title,
                "body": _present(section.export(user)),
                "correct_url": reverse(url_name) if url_name and _may_use(user, url_name) else None,
                "correct_text": link_text,
            }
        )
    return render(
        request,
        "people/your_data.html",
        {
            "sections": sections,
            "equality_answered": EqualityMonitoring.objects.answered_count(user),
            "equality_total": len(EqualityMonitoring.QUESTIONS),
            "keeps_profile": user.has_perm("people.keep_profile"),
            "may_delete": services.may_delete_own_account(user),
            "pending_deletion": services.pending_deletion(user),
        },
    )


def _may_use(user, url_name) -> bool:
    if url_name in ("people:profile_edit", "people:access_needs", "people:equality"):
        return user.has_perm("people.keep_profile")
    return True


@never_cache
def your_data_download(request):
    data = services.export_personal_data(user=request.user, request=request)
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"your-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def consent(request):
    """Agree to the current privacy notice; say whether we may tell you about new opportunities.
    Two small forms on one page; a hidden `form` field says which one was sent."""
    user = request.user
    keeps_profile = user.has_perm("people.keep_profile")
    privacy_form = PrivacyNoticeForm(prefix="privacy")
    contact_form = None
    if keeps_profile:
        current = services.profile_for(user).happy_to_be_contacted
        contact_form = ContactConsentForm(
            prefix="contact", initial={} if current is None else {"happy": "yes" if current else "no"}
        )
    if request.method == "POST" and request.POST.get("form") == "contact" and keeps_profile:
        contact_form = ContactConsentForm(request.POST, prefix="contact")
        if contact_form.is_valid():
            happy = contact_form.cleaned_data["happy"] == "yes"
            services.set_contact_consent(user=user, happy=happy, request=request)
            if happy:
                messages.success(request, _("Thank you. We will tell you about new opportunities."))
            else:
                messages.success(request, _("We will not contact you about new opportunities."))
            return redirect("people:consent")
    elif request.method == "POST":
        privacy_form = PrivacyNoticeForm(request.POST, prefix="privacy")
        if privacy_form.is_valid():
            services.agree_to_privacy_notice(user=user, request=request)
            messages.success(request, _("Thank you. We have recorded that you agree to the privacy notice."))
            return redirect("people:consent")
    agreement = services.latest_privacy_agreement(user)
    return render(
        request,
        "people/your_data_consent.html",
        {
            "privacy_form": privacy_form,
            "contact_form": contact_form,
            "agreement": agreement,
            "agreed_current": agreement is not None and agreement.privacy_notice_version == PRIVACY_NOTICE_VERSION,
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
            "history": list(user.consents.all()[:50]),
            "breadcrumbs": _your_data_crumbs(),
        },
    )


def delete_account(request):
    user = request.user
    if not services.may_delete_own_account(user):
        raise PermissionDenied
    pending = services.pending_deletion(user)
    form = DeleteAccountForm(_posted(request))
    if request.method == "POST" and pending is None and form.is_valid():
        if form.cleaned_data["confirm"] != "yes":
            messages.info(request, _("Your account has not been deleted."))
            return redirect("people:your_data")
        try:
            deletion = services.request_deletion(user=user, request=request)
        except services.DataRightsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("We will delete your account on %(date)s. You can change your mind until then.")
                % {"date": date_format(timezone.localtime(deletion.erase_after), "j F Y")},
            )
        return redirect("people:delete_account")
    return render(
        request,
        "people/your_data_delete.html",
        {
            "form": form,
            "pending": pending,
            "cooling_off_days": DELETION_COOLING_OFF_DAYS,
            "breadcrumbs": _your_data_crumbs(),
        },
    )


@require_POST
def delete_cancel(request):
    user = request.user
    if not services.may_delete_own_account(user):
        raise PermissionDenied
    try:
        services.cancel_deletion(user=user, request=request)
    except services.DataRightsError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("We will not delete your account."))
    return redirect("people:your_data")
