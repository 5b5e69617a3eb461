import time

import pytest
from django.urls import reverse

from coproduction.middleware import PrivilegedSessionTimeout
from coproduction.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_every_html_page_has_a_strict_content_security_policy_and_friends(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_script(client_for, administrator):
    html = client_for(administrator).get(reverse("dashboard")).content.decode()
    # Every <script> has a src: the CSP forbids inline scripts, so none may be relied on.
    assert html.count("<script") == html.count("<script src=") + html.count('<script type="module" src=')


def test_signed_in_pages_are_not_cached(client_for, member):
    assert client_for(member).get(reverse("dashboard"))["Cache-Control"] == "no-store"


def test_staff_are_signed_out_after_30_minutes_idle(client_for, staff):
    client = client_for(staff)
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[PrivilegedSessionTimeout.SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_staff_who_keep_using_the_portal_stay_signed_in_noted_once_a_minute(client_for, staff):
    client = client_for(staff)
    client.get(reverse("dashboard"))
    session = client.session
    session[PrivilegedSessionTimeout.SESSION_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[PrivilegedSessionTimeout.SESSION_KEY] >= int(time.time()) - 5  # noted again

    half_a_minute_ago = int(time.time()) - 30
    session = client.session
    session[PrivilegedSessionTimeout.SESSION_KEY] = half_a_minute_ago
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[PrivilegedSessionTimeout.SESSION_KEY] == half_a_minute_ago  # no write this time


def test_members_are_not_signed_out_after_30_minutes(client_for, member):
    client = client_for(member)
    client.get(reverse("dashboard"))
    session = client.session
    session[PrivilegedSessionTimeout.SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_in_success_and_failure_are_audited_without_the_typed_email(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": "wrong-password-here"})
    client.post(reverse("account_login"), {"login": member.email, "password": "a-long-test-password-1"})
    failed = AuditEntry.objects.get(action="signin.failed")
    assert failed.ip_address == "127.0.0.1" and member.email not in failed.detail
    assert AuditEntry.objects.filter(action="signin.success", actor=member).count() == 1


def test_permission_denials_are_audited_and_explained(client_for, member):
    response = client_for(member).get(reverse("invitation_list"))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert AuditEntry.objects.filter(action="permission.denied", actor=member, detail="/invitations/").exists()


def test_unknown_pages_get_a_plain_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_the_scan_session_command_refuses_unless_explicitly_allowed(member, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    cookie_file = tmp_path / "cookie.json"
    monkeypatch.delenv("SCAN_SESSIONS_ALLOWED", raising=False)
    with pytest.raises(CommandError, match="Refusing"):
        call_command("scan_session", member.email, output=str(cookie_file))
    assert not cookie_file.exists()

    monkeypatch.setenv("SCAN_SESSIONS_ALLOWED", "true")
    call_command("scan_session", member.email, output=str(cookie_file))
    assert cookie_file.exists()
    assert AuditEntry.objects.filter(action="signin.scan_session", actor=member).count() == 1
