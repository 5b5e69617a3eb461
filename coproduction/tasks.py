import random
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from coproduction import services

EMAIL_RETRY_MAX_DELAY = 10 * 60


def email_retry_delay(retries: int) -> float:
    """Seconds to wait before trying a failed email again: EMAIL_RETRY_BACKOFF, doubled after each
    failure and stretched by up to a half at random, so emails that failed together do not all
    retry together yet each wait is longer than the one before; never more than ten minutes."""
    delay = settings.EMAIL_RETRY_BACKOFF * 2**retries
    return min(EMAIL_RETRY_MAX_DELAY, delay * (1 + random.random() / 2))  # noqa: S311 (spreading, not secrecy)


@shared_task(bind=True, max_retries=8)
def send_email(self, *, to: list[str], subject: str, body: str, html_body: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send()
    except (SMTPException, OSError) as error:
        # The mail server is down or said "try later": try again, waiting longer each time.
        raise self.retry(exc=error, countdown=email_retry_delay(self.request.retries)) from error


@shared_task
def remove_unverified_signups() -> int:
    """Daily: delete sign-ups whose email was never verified within the retention period."""
    return services.remove_unverified_signups()


@shared_task(ignore_result=False)
def ping() -> str:
    """Answers 'pong': lets CI and /healthz-style checks see a real worker finish a task."""
    return "pong"
