"""Make a signed-in session for one account and write it as a wapiti cookie file.

Used only by `scripts/security_scan.sh`, so the web scanner can crawl the portal signed in as a
member or as staff without scripting the sign-in form and its two-step code.

It refuses to run unless the environment variable SCAN_SESSIONS_ALLOWED=true is set: a session made
here skips the password and two-step check, so it must never be possible on a live portal by accident.
The scan script sets the variable only for its own throwaway database. Every session made is written
to the audit trail (`signin.scan_session`), beside the usual `signin.success`.
"""

import json
import os
from importlib import import_module

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import RequestFactory

from coproduction import audit

ALLOW_VARIABLE = "SCAN_SESSIONS_ALLOWED"


class Command(BaseCommand):
    help = (
        "Security scan only: sign an account in without its password or two-step code and write a wapiti "
        f"cookie file. Refuses unless {ALLOW_VARIABLE}=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account to sign in (it must already exist)")
        parser.add_argument("--host", default="127.0.0.1", help="host name or IP the scanner will use")
        parser.add_argument("--output", required=True, help="where to write the wapiti JSON cookie file")

    @transaction.atomic
    def handle(self, *args, email, host, output, **options):
        if os.environ.get(ALLOW_VARIABLE, "").lower() != "true":
            raise CommandError(f"Refusing: for throwaway scan databases only. Set {ALLOW_VARIABLE}=true.")
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the email {email}.")

        # A request that never reaches the server: just enough for login() to fill a session.
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        record_authentication(request, user, "password", email=user.email)
        if user.needs_mfa:
            # What allauth records after a correct two-step code, so the session is like a real staff sign-in.
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if totp is None:
                raise CommandError(f"{email} needs two-step verification but has no authenticator set up.")
            record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
        request.session.save()
        audit.record("signin.scan_session", actor=user, subject=user, detail="session made for a security scan")

        # wapiti's cookie file: {domain: {path: {name: attributes}}} (wapitiCore/net/jsoncookie.py).
        cookie = {
            "value": request.session.session_key,
            "expires": None,
            "secure": settings.SESSION_COOKIE_SECURE,
            "port": None,
            "version": 0,
        }
        with open(output, "w", encoding="utf-8") as file:
            json.dump({host: {"/": {settings.SESSION_COOKIE_NAME: cookie}}}, file, indent=2)
        self.stdout.write(f"Session for {email} written to {output}")
