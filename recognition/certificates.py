"""Certificates of involvement as PDF: real text with headings, a title and a language, so screen
readers can read them (WeasyPrint, tagged PDF)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse


def render_pdf(certificate) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "recognition/certificate_pdf.html",
        {
            "certificate": certificate,
            "check_url": settings.SITE_URL + reverse("recognition:certificate_check"),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)


def filename(certificate) -> str:
    return f"certificate-of-involvement-{certificate.display_code}.pdf"
