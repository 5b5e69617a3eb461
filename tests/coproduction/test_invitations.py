from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction import services
from coproduction.models import AuditEntry, Invitation, User

pytestmark = pytest.mark.django_db


def invite(administrator, sent_emails=None, **overrides):
    data = {"name": "Rhys Bevan", "email": "Rhys@Example.org", "role": "Leader", **overrides}
    return services.invite_person(invited_by=administrator, **data)


def test_administrator_invites_a_leader_and_the_email_carries_a_working_link(client_for, administrator, sent_emails):
    client = client_for(administrator)
    response = client.post(
        reverse("invitation_create"), {"name": "Rhys Bevan", "email": "rhys@example.org", "role": "Leader"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == "Leader" and invitation.invited_by == administrator
    assert len(sent_emails) == 1 and sent_emails[0].to == ["rhys@example.org"]
    assert reverse("invitation_accept", args=[invitation.token]) in sent_emails[0].body
    assert AuditEntry.objects.filter(action="invitation.sent", actor=administrator).count() == 1


def test_invitation_form_shows_errors_next_to_fields_and_saves_nothing(client_for, administrator):
    response = client_for(administrator).post(
        reverse("invitation_create"), {"name": "", "email": "not-an-email", "role": "Member"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Enter a valid email address" in html
    # Members register themselves: the role list does not offer it.
    assert "Select a valid choice" in html
    assert not Invitation.objects.exists()


def test_accepting_creates_a_verified_account_with_only_the_invited_role(client, administrator):
    invitation = invite(administrator)
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": "Rhys Bevan", "password1": "a-long-test-password-1", "password2": "a-long-test-password-1"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="rhys@example.org")
    assert user.role_names == {"Leader"}
    assert user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # Signed in, but sent to set up two-step verification first.
    assert client.get(reverse("dashboard")).url == reverse("mfa_activate_totp")


def test_an_invitation_works_once(client, administrator):
    invitation = invite(administrator)
    services.accept_invitation(invitation=invitation, name="Rhys", password="a-long-test-password-1")
    client.logout()
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "does not work" in response.content.decode()


def test_an_expired_invitation_cannot_be_used(client, administrator):
    invitation = invite(administrator)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": "Rhys", "password1": "a-long-test-password-1", "password2": "a-long-test-password-1"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="rhys@example.org").exists()


def test_a_withdrawn_invitation_cannot_be_used(client_for, administrator):
    invitation = invite(administrator)
    client = client_for(administrator)
    client.post(reverse("invitation_revoke", args=[invitation.public_id]))
    client.logout()
    assert client.get(reverse("invitation_accept", args=[invitation.token])).status_code == 410


def test_a_weak_password_is_refused_with_a_clear_error(client, administrator):
    invitation = invite(administrator)
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": "Rhys", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "too short" in html and "too common" in html
    assert not User.objects.filter(email="rhys@example.org").exists()


def test_an_existing_member_accepts_after_signing_in_and_gains_the_role(client_for, administrator, member):
    invitation = invite(administrator, email=member.email, role="Staff")
    client = client_for(member)
    client.post(reverse("invitation_accept", args=[invitation.token]))
    assert member.groups.filter(name="Staff").exists() and member.groups.filter(name="Member").exists()


def test_someone_else_signed_in_cannot_accept_an_invitation_for_another_address(
    client_for, administrator, member, other_member
):
    invitation = invite(administrator, email=member.email, role="Staff")
    client_for(other_member).post(reverse("invitation_accept", args=[invitation.token]))
    assert not other_member.groups.filter(name="Staff").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_new_invitation_replaces_the_one_still_waiting(administrator):
    first = invite(administrator)
    second = invite(administrator)
    first.refresh_from_db()
    assert not first.is_usable and second.is_usable
