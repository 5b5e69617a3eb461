"""Audit sign-ins: every success and failure, with where it came from. No passwords, no emails of
failed attempts (they may be someone else's address typed by mistake)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coproduction import audit


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    audit.record("signin.success", actor=user, subject=user, request=request)


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit.record("signin.failed", request=request)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("signout", actor=user, subject=user, request=request)
