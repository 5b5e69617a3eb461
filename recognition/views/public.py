"""The public certificate check: anyone with a code can confirm a certificate is real."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from recognition.forms import CertificateCheckForm
from recognition.models import Certificate


@login_not_required
def certificate_check(request):
    """Shows the name, hours, period and issue date, and nothing else."""
    form = CertificateCheckForm(request.GET or None)
    certificate = None
    checked = False
    if request.GET and form.is_valid():
        checked = True
        certificate = (
            Certificate.objects.filter(code=form.cleaned_data["code"])
            .only("name", "hours", "period_start", "period_end", "issued_at", "code")
            .first()
        )
    return render(
        request, "recognition/certificate_check.html", {"form": form, "certificate": certificate, "checked": checked}
    )
