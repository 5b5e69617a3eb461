"""Email goes out from a Celery task, queued only once the transaction that caused it commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def queue_email(*, to: list[str] | str, subject: str, body: str, html_body: str = "") -> None:
    from coproduction.tasks import send_email

    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(lambda: send_email.delay(to=recipients, subject=subject, body=body, html_body=html_body))


def queue_templated_email(template_prefix: str, *, to: list[str] | str, context: dict) -> None:
    """Render `<prefix>_subject.txt` and `<prefix>_message.txt` (and `.html` if present) and queue them."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context)
    queue_email(to=to, subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body)
