"""Shared fixtures: the personas every test speaks of, and the harnesses later issues reuse.

Personas (CONVENTIONS.md): visitor, member, other member, staff on the programme, staff not on it,
leader, finance officer, administrator. Staff-side personas have two-step verification set up, as
the portal requires before they reach any page.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduction.roles import Role, role_group
from tests.factories import UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

PERSONAS = ["visitor", "member", "other_member", "staff", "other_staff", "leader", "finance", "administrator"]


def make_person(name: str, email: str, *roles: str, mfa: bool | None = None):
    user = UserFactory(name=name, email=email)
    user.groups.set([role_group(role) for role in roles])
    if Role.ADMINISTRATOR in roles:
        user.is_staff = user.is_superuser = True
        user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa if mfa is not None else bool(set(roles) & Role.NEEDS_MFA):
        TOTP.activate(user, TOTP_SECRET)
    return user


# Who each persona is: one table for the fixtures below and for tests that build people themselves.
PERSONA_DETAILS = {
    "member": ("Alice Member", "alice@example.org", Role.MEMBER),
    "other_member": ("Bob Member", "bob@example.org", Role.MEMBER),
    "staff": ("Charlie Staff", "charlie@example.org", Role.STAFF),
    "other_staff": ("Dana Staff", "dana@example.org", Role.STAFF),
    "leader": ("Eve Leader", "eve@example.org", Role.LEADER),
    "finance": ("Frank Finance", "frank@example.org", Role.FINANCE),
    "administrator": ("Grace Admin", "grace@example.org", Role.ADMINISTRATOR),
}


@pytest.fixture
def member(db):
    return make_person(*PERSONA_DETAILS["member"])


@pytest.fixture
def other_member(db):
    return make_person(*PERSONA_DETAILS["other_member"])


@pytest.fixture
def staff(db):
    return make_person(*PERSONA_DETAILS["staff"])


@pytest.fixture
def other_staff(db):
    return make_person(*PERSONA_DETAILS["other_staff"])


@pytest.fixture
def leader(db):
    return make_person(*PERSONA_DETAILS["leader"])


@pytest.fixture
def finance(db):
    return make_person(*PERSONA_DETAILS["finance"])


@pytest.fixture
def administrator(db):
    return make_person(*PERSONA_DETAILS["administrator"])


@pytest.fixture
def persona(request, db):
    """Indirect fixture: the user for a persona name, or None for the visitor."""
    name = request.param
    return None if name == "visitor" else request.getfixturevalue(name)


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a test client signed in as that user (None → signed out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def sent_emails(mailoutbox, monkeypatch):
    """The outbox, with email queued as soon as it is asked for.

    The portal queues email only once the transaction commits; in a test the whole test is one
    transaction that never commits, so here the queueing runs at once instead.
    (test_emails.py checks that a rolled-back transaction sends nothing.)
    """
    import types

    import coproduction.emails

    monkeypatch.setattr(coproduction.emails, "transaction", types.SimpleNamespace(on_commit=lambda fn, **kwargs: fn()))
    return mailoutbox


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def assert_flat_queries(client, url: str, add_rows, *, few: int = 1, many: int = 50) -> int:
    """The page's query count is the same showing `few` rows as `many`. `add_rows(n)` adds n rows
    the page lists. Returns the count so a test can pin it too."""
    add_rows(few)
    count_queries(client, url)  # warm caches (content types, sessions) before counting
    small = count_queries(client, url)
    add_rows(many - few)
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with {few} rows but {large} with {many}"
    return large


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashers take ~0.3 s a password: too slow for hundreds of personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate limits live in the cache: one test's failed sign-ins must not lock out the next test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may skip: browser, PostgreSQL-only and real-worker tests must all run there."""
    import os

    if not (os.environ.get("REQUIRE_SERVICE_TESTS") or os.environ.get("REQUIRE_BROWSER_TESTS")):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"FAILED: {len(skipped)} tests were skipped, and CI allows no skips.", red=True)
        session.exitstatus = 1
