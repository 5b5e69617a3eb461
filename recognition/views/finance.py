"""Finance: what is approved and waiting, the payment clock, payment batches and the payroll file."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recognition import exports, services, summaries
from recognition.access import batch_for_user, require
from recognition.forms import BatchForm
from recognition.models import PaymentBatch
from recognition.services import RecognitionError


def _crumbs():
    return [(_("Payments"), reverse("recognition:finance"))]


def finance_home(request):
    require(request.user, "recognition.manage_payments")
    return render(
        request,
        "recognition/finance.html",
        {
            "waiting": summaries.waiting_for_payment(),
            "clock": summaries.payment_clock(),
            "batches": summaries.batches()[:50],
        },
    )


def batch_create(request):
    require(request.user, "recognition.manage_payments")
    form = BatchForm(request.POST or None, initial={"up_to": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.build_batch(by=request.user, up_to=form.cleaned_data["up_to"], request=request)
        except RecognitionError as error:
            form.add_error("up_to", str(error))
        else:
            messages.success(
                request,
                _("Batch %(reference)s built. Check it, then export it for payroll.") % {"reference": batch.reference},
            )
            return redirect("recognition:batch_detail", batch.public_id)
    return render(
        request,
        "recognition/batch_form.html",
        {"form": form, "waiting": summaries.waiting_for_payment(), "breadcrumbs": _crumbs()},
    )


def batch_detail(request, public_id):
    batch = batch_for_user(request.user, public_id)
    # A batch can hold thousands of people: show them 25 at a time, totals summed in SQL.
    page = Paginator(summaries.people_in_batch(batch), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "recognition/batch_detail.html",
        {
            "batch": batch,
            "page": page,
            "payees": summaries.payees_in(batch, members=list(page.object_list)),
            **summaries.batch_totals(batch),
            "breadcrumbs": _crumbs(),
        },
    )


def _batch_action(request, public_id, action, done_message):
    batch = batch_for_user(request.user, public_id)
    try:
        action(batch=batch, by=request.user, request=request)
    except RecognitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message % {"reference": batch.reference})
    return batch


@require_POST
def batch_export(request, public_id):
    batch = _batch_action(
        request,
        public_id,
        services.export_batch,
        _("Batch %(reference)s is exported and can no longer change. Download the file for payroll."),
    )
    return redirect("recognition:batch_detail", batch.public_id)


@require_POST
def batch_paid(request, public_id):
    batch = _batch_action(
        request,
        public_id,
        services.mark_batch_paid,
        _("Batch %(reference)s is marked as paid. Everyone in it has been told."),
    )
    return redirect("recognition:batch_detail", batch.public_id)


@require_POST
def batch_discard(request, public_id):
    _batch_action(
        request,
        public_id,
        services.discard_batch,
        _("Batch %(reference)s is discarded. Its lines wait for the next batch."),
    )
    return redirect("recognition:finance")


def batch_download(request, public_id):
    """The payroll file, streamed. Only for an exported (frozen) batch, so it never changes."""
    batch = batch_for_user(request.user, public_id)
    if batch.status not in {PaymentBatch.Status.EXPORTED, PaymentBatch.Status.PAID}:
        messages.error(request, _("Export the batch first. Once exported it cannot change."))
        return redirect("recognition:batch_detail", batch.public_id)
    services.record_download(batch=batch, by=request.user, request=request)
    response = StreamingHttpResponse(
        exports.stream_csv(exports.payroll_rows(batch)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="payroll-{batch.reference}.csv"'
    return response
