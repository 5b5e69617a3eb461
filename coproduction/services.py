"""Site-wide use cases: invitations and account housekeeping."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coproduction import audit
from coproduction.emails import queue_templated_email
from coproduction.models import Invitation
from coproduction.roles import Role, role_group

User = get_user_model()


class InvitationError(Exception):
    """The invitation cannot be used (expired, withdrawn, accepted, or for another address)."""


@transaction.atomic
def invite_person(*, invited_by, email: str, name: str, role: str, request=None) -> Invitation:
    email = email.strip().lower()
    # One live invitation per address and role: a new one replaces any still waiting.
    Invitation.objects.pending().filter(email__iexact=email, role=role).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(email=email, name=name, role=role, invited_by=invited_by)
    audit.record("invitation.sent", actor=invited_by, subject=invitation, detail=f"role={role}", request=request)
    queue_templated_email(
        "coproduction/email/invitation",
        to=email,
        context={
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
            "invited_by": invited_by,
        },
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by, request=None) -> None:
    if not invitation.is_usable:
        raise InvitationError("This invitation can no longer be withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record("invitation.withdrawn", actor=by, subject=invitation, request=request)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user=None, name: str = "", password: str = "", request=None):
    """Grant the invitation's role. With no `user`, create the account (its email is verified by
    the fact that the person followed the emailed link). Returns the user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationError("This invitation has expired or has already been used.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError("An account already uses this email address. Sign in to accept.")
        user = User.objects.create_user(email=invitation.email, password=password, name=name or invitation.name)
    elif user.email.lower() != invitation.email.lower():
        raise InvitationError("This invitation was sent to a different email address.")
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    user.groups.add(role_group(invitation.role))
    if invitation.role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True  # administrators may use the Django admin
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record(
        "invitation.accepted", actor=user, subject=invitation, detail=f"role={invitation.role}", request=request
    )
    return user


def remove_unverified_signups(*, now=None) -> int:
    """Delete self-registered accounts whose email was never verified within the retention period.

    Safe to run twice: the second run finds nothing left to delete.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNVERIFIED_SIGNUP_RETENTION_DAYS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    stale = User.objects.filter(date_joined__lt=cutoff, is_superuser=False, last_login__isnull=True).exclude(
        pk__in=verified
    )
    count = stale.count()
    if count:
        stale.delete()
        audit.record("accounts.unverified_removed", detail=f"count={count}")
    return count
