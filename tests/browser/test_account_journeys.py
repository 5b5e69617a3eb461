"""Given/when/then journeys for signing up and being invited, with axe on every page."""

import pytest
from django.core import mail

from coproduction.models import User
from tests.browser.conftest import TEST_PASSWORD, current_totp_code, link_in_email

pytestmark = pytest.mark.browser


def test_a_visitor_registers_verifies_their_email_and_reaches_the_member_dashboard(portal):
    # Given a visitor on the home page
    portal.visit("/")
    # When they register
    portal.click("Register to get involved")
    portal.fill("Your name", "Zoë Ní Bhriain")
    portal.fill("Email address", "zoe@example.org")
    portal.fill("Create a password", TEST_PASSWORD)
    portal.fill("Type the password again", TEST_PASSWORD)
    portal.click("Register")
    # Then they are asked to check their email, and an email with a link arrives
    assert "email" in portal.heading().lower()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zoe@example.org"]
    # When they follow the link and confirm
    portal.visit(link_in_email(mail.outbox[0]))
    portal.click("Confirm")
    # And sign in
    user = User.objects.get(email="zoe@example.org")
    assert user.has_role("Member") and user.name == "Zoë Ní Bhriain"
    portal.sign_in(user)
    # Then they see their dashboard, greeted by name
    assert portal.page.url.endswith("/dashboard/")
    assert "Zoë" in portal.heading()
    portal.check_accessibility()


def test_an_administrator_invites_a_staff_member_who_accepts_and_sets_up_two_step_verification(portal, administrator):
    # Given an administrator signed in (with their authenticator code)
    portal.sign_in(administrator)
    # When they invite a new member of staff
    portal.visit("/invitations/")
    portal.click("Invite someone")
    portal.fill("Full name", "Rhys Bevan")
    portal.fill("Email address", "rhys@example.org")
    portal.page.get_by_label("Staff", exact=True).check()
    portal.click("Send invitation")
    # Then the invitation is listed as waiting and an email goes out
    assert "Invitation sent to rhys@example.org" in portal.page.content()
    assert mail.outbox[-1].to == ["rhys@example.org"]
    portal.sign_out()
    # When the new person opens the link and creates their account
    portal.visit(link_in_email(mail.outbox[-1]))
    portal.fill("Your name", "Rhys Bevan")
    portal.fill("Create a password", TEST_PASSWORD)
    portal.fill("Type the password again", TEST_PASSWORD)
    portal.click("Create my account")
    # Then they have the Staff role, and must set up two-step verification before anything else
    assert User.objects.get(email="rhys@example.org").has_role("Staff")
    assert "/accounts/2fa/totp/activate/" in portal.page.url
    portal.check_accessibility()
    portal.visit("/dashboard/")
    assert "/accounts/2fa/totp/activate/" in portal.page.url
    # When they add the secret to their app and enter a code
    secret = portal.page.locator("#authenticator_secret").input_value()
    portal.fill("Authenticator code", current_totp_code(secret))
    portal.click("Activate")
    # Then they can reach their dashboard
    portal.visit("/dashboard/")
    assert portal.page.url.endswith("/dashboard/")
