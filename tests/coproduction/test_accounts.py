from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from coproduction import services
from coproduction.models import User
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Zoë Ní Bhriain",
    "email": "zoe@example.org",
    "password1": "a-long-test-password-1",
    "password2": "a-long-test-password-1",
}


def test_sign_up_makes_a_member_and_sends_a_verification_email(client, sent_emails):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="zoe@example.org")
    assert user.role_names == {"Member"} and user.name == "Zoë Ní Bhriain"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(sent_emails) == 1 and "confirm-email" in sent_emails[0].body


def test_sign_up_with_a_registered_address_says_the_same_and_tells_only_the_owner(client, member, sent_emails):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": member.email})
    # The visitor sees the same "check your email" step as a new sign-up: no account enumeration.
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=member.email).count() == 1
    assert len(sent_emails) == 1 and sent_emails[0].to == [member.email]


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    known = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == 302 and known.url == reverse("account_reset_password_done")


def test_unverified_member_cannot_sign_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302


def test_sign_in_is_rate_limited_after_repeated_failures(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong-password-here"})
    response = client.post(reverse("account_login"), {"login": member.email, "password": "a-long-test-password-1"})
    assert response.status_code == 429 or "Too many" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_without_two_step_verification_are_sent_to_set_it_up(client_for):
    staff = make_person("New Staff", "new.staff@example.org", "Staff", mfa=False)
    response = client_for(staff).get(reverse("dashboard"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    # The Django admin is protected in the same way.
    assert client_for(staff).get("/admin/").url == reverse("mfa_activate_totp")


def test_members_do_not_need_two_step_verification(client_for, member):
    assert client_for(member).get(reverse("dashboard")).status_code == 200


def test_staff_with_two_step_verification_reach_their_dashboard(client_for, staff):
    assert client_for(staff).get(reverse("dashboard")).status_code == 200


def test_sign_in_for_staff_asks_for_the_authenticator_code(client, staff):
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "a-long-test-password-1"})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_django_admin_sign_in_goes_through_the_portal_sign_in(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_pages_need_sign_in_by_default(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_unverified_sign_ups_are_removed_after_seven_days_and_the_job_can_run_twice(client, member):
    client.post(reverse("account_signup"), SIGNUP)
    stale = User.objects.get(email=SIGNUP["email"])
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=8))
    fresh = make_person("Fresh", "fresh@example.org", "Member")
    EmailAddress.objects.filter(user=fresh).update(verified=False)

    assert services.remove_unverified_signups() == 1
    assert services.remove_unverified_signups() == 0
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk__in=[fresh.pk, member.pk]).count() == 2


def test_header_shows_only_the_navigation_for_the_users_roles(client_for, member, administrator):
    member_page = client_for(member).get(reverse("dashboard")).content.decode()
    admin_page = client_for(administrator).get(reverse("dashboard")).content.decode()
    assert 'href="/invitations/"' not in member_page
    assert 'href="/invitations/"' in admin_page
