"""A member's own time, expenses, receipts, recognition page and certificates.

Each view: scoped fetch (404 if it is not theirs to see, 403 if they may see but not do this) →
bind form → valid? → call the service → message → redirect.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recognition import certificates, services, summaries
from recognition.access import can, claim_for_user, item_for_user, log_for_user, receipt_for_user, require
from recognition.forms import ClaimForm, ExpenseItemForm, LogForm
from recognition.models import Certificate, ExpenseClaim, InvolvementLog
from recognition.services import RecognitionError


def _crumbs(*extra):
    return [(_("My recognition"), reverse("recognition:my_recognition")), *extra]


# Involvement logs ---------------------------------------------------------------------------------
def log_list(request):
    require(request.user, "recognition.log_time")
    logs = (
        InvolvementLog.objects.filter(member=request.user)
        .select_related("project", "involvement_point")
        .order_by("-date", "-created_at")
    )
    return render(request, "recognition/log_list.html", {"logs": logs, "breadcrumbs": _crumbs()})


def _log_fields(cleaned) -> dict:
    return {
        "project": cleaned["project"],
        "point": cleaned.get("involvement_point"),
        "date": cleaned["date"],
        "activity": cleaned["activity"],
        "minutes": cleaned["total_minutes"],
        "note": cleaned.get("note", ""),
        "choice": cleaned["choice"],
    }


def log_create(request):
    require(request.user, "recognition.log_time")
    initial = {"choice": services.default_choice(request.user)}
    form = LogForm(request.POST or None, member=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_involvement(member=request.user, request=request, **_log_fields(form.cleaned_data))
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your time is logged. Staff will confirm it."))
            return redirect("recognition:log_list")
    return render(
        request,
        "recognition/log_form.html",
        {
            "form": form,
            "title": _("Log your time"),
            "has_projects": form.fields["project"].queryset.exists(),
            "breadcrumbs": _crumbs((_("My involvement"), reverse("recognition:log_list"))),
        },
    )


def log_edit(request, public_id):
    log = log_for_user(request.user, public_id, change="recognition.change_log")
    initial = {
        "project": log.project_id,
        "involvement_point": log.involvement_point_id,
        "date": log.date,
        "activity": log.activity,
        "hours": log.minutes // 60,
        "minutes": log.minutes % 60,
        "note": log.note,
        "choice": log.choice,
    }
    form = LogForm(request.POST or None, member=request.user, instance=log, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_log(log=log, by=request.user, request=request, **_log_fields(form.cleaned_data))
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved. Staff will look at them again."))
            return redirect("recognition:log_list")
    return render(
        request,
        "recognition/log_form.html",
        {
            "form": form,
            "log": log,
            "title": _("Change your time"),
            "has_projects": True,
            "breadcrumbs": _crumbs((_("My involvement"), reverse("recognition:log_list"))),
        },
    )


# Expense claims -----------------------------------------------------------------------------------
def claim_list(request):
    require(request.user, "recognition.claim_expenses")
    claims = (
        ExpenseClaim.objects.filter(member=request.user)
        .select_related("project", "involvement_point")
        .order_by("-created_at")
    )
    return render(request, "recognition/claim_list.html", {"claims": claims, "breadcrumbs": _crumbs()})


def claim_create(request):
    require(request.user, "recognition.claim_expenses")
    form = ClaimForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.start_claim(
                member=request.user,
                project=form.cleaned_data["project"],
                point=form.cleaned_data.get("involvement_point"),
                note=form.cleaned_data.get("note", ""),
                request=request,
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Claim started. Now add your costs."))
            return redirect("recognition:item_add", claim.public_id)
    return render(
        request,
        "recognition/claim_form.html",
        {
            "form": form,
            "has_projects": form.fields["project"].queryset.exists(),
            "breadcrumbs": _crumbs((_("My expenses"), reverse("recognition:claim_list"))),
        },
    )


def claim_detail(request, public_id):
    """The claim, its costs and receipts: for the claimant, the project's staff and finance."""
    claim = claim_for_user(request.user, public_id)
    items = list(claim.items.select_related("batch", "decided_by").prefetch_related("receipts"))
    for item in items:
        item.claim = claim
    is_owner = claim.member_id == request.user.pk
    can_decide = can(request.user, "recognition.decide_claim", claim)
    if is_owner:
        crumbs = _crumbs((_("My expenses"), reverse("recognition:claim_list")))
    elif can(request.user, "recognition.see_approvals"):
        crumbs = [(_("Approvals"), reverse("recognition:approvals"))]
    else:
        crumbs = [(_("Payments"), reverse("recognition:finance"))]
    return render(
        request,
        "recognition/claim_detail.html",
        {
            "claim": claim,
            "items": items,
            "total": sum((item.amount for item in items), summaries.ZERO),
            "can_change": can(request.user, "recognition.change_claim", claim),
            "can_decide": can_decide,
            "is_owner": is_owner,
            "breadcrumbs": crumbs,
        },
    )


def item_add(request, public_id):
    claim = claim_for_user(request.user, public_id, change="recognition.change_claim")
    form = ExpenseItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_expense_item(
                claim=claim,
                by=request.user,
                category=data["category"],
                date=data["date"],
                description=data["description"],
                amount=data.get("amount"),
                miles=data.get("miles"),
                agreed_with=data.get("agreed_with", ""),
                receipt=data.get("receipt"),
                request=request,
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Cost added. Add another, or send the claim."))
            return redirect("recognition:claim_detail", claim.public_id)
    return render(
        request,
        "recognition/item_form.html",
        {
            "form": form,
            "claim": claim,
            "breadcrumbs": _crumbs(
                (_("My expenses"), reverse("recognition:claim_list")),
                (_("Your claim"), reverse("recognition:claim_detail", args=[claim.public_id])),
            ),
        },
    )


@require_POST
def item_remove(request, public_id):
    item = item_for_user(request.user, public_id, change="recognition.change_claim")
    try:
        services.remove_expense_item(item=item, by=request.user, request=request)
    except RecognitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Cost removed."))
    return redirect("recognition:claim_detail", item.claim.public_id)


@require_POST
def claim_submit(request, public_id):
    claim = claim_for_user(request.user, public_id, change="recognition.change_claim")
    try:
        services.submit_claim(claim=claim, by=request.user, request=request)
    except RecognitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Claim sent. Staff will check it, and we will email you when they have."))
    return redirect("recognition:claim_detail", claim.public_id)


def receipt_download(request, public_id):
    """A receipt, only for the claimant, the project's staff and finance; never from a public URL."""
    receipt = receipt_for_user(request.user, public_id)
    services.record_receipt_download(receipt=receipt, by=request.user, request=request)
    response = FileResponse(
        receipt.file.open("rb"),
        as_attachment=True,
        filename=receipt.original_name,
        content_type=receipt.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Recognition and certificates ---------------------------------------------------------------------
def my_recognition(request):
    require(request.user, "recognition.see_my_recognition")
    return render(request, "recognition/my_recognition.html", summaries.member_recognition(request.user))


@require_POST
def certificate_create(request):
    require(request.user, "recognition.see_my_recognition")
    try:
        certificate = services.issue_certificate(member=request.user, request=request)
    except RecognitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your certificate is ready. Its code is %(code)s.") % {"code": certificate.display_code},
        )
    return redirect(reverse("recognition:my_recognition") + "#certificates")


def certificate_pdf(request, public_id):
    """A member's own certificate only: anyone else's id is simply not found."""
    certificate = Certificate.objects.filter(public_id=public_id, member=request.user).first()
    if certificate is None:
        raise Http404
    response = HttpResponse(
        services.certificate_pdf(certificate=certificate, by=request.user, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return response
