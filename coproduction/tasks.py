from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from coproduction import services


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(*, to: list[str], subject: str, body: str, html_body: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@shared_task
def remove_unverified_signups() -> int:
    """Daily: delete sign-ups whose email was never verified within the retention period."""
    return services.remove_unverified_signups()


@shared_task(ignore_result=False)
def ping() -> str:
    """Answers 'pong': lets CI and /healthz-style checks see a real worker finish a task."""
    return "pong"
