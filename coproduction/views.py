from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coproduction import dashboard as dashboard_panels
from coproduction import services
from coproduction.celery import app as celery_app
from coproduction.forms import AcceptInvitationForm, InvitationForm
from coproduction.models import Invitation


@login_not_required
def home(request):
    return render(request, "coproduction/home.html")


@login_not_required
def accessibility_statement(request):
    return render(request, "coproduction/accessibility.html")


@login_not_required
def privacy_notice(request):
    return render(request, "coproduction/privacy.html")


def dashboard(request):
    return render(request, "coproduction/dashboard.html", {"panels": dashboard_panels.panels_for(request)})


def my_account(request):
    from allauth.mfa.models import Authenticator

    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(request, "coproduction/my_account.html", {"has_totp": has_totp})


@never_cache
@login_not_required
def healthz(request):
    """For the load balancer and compose: is the database reachable, and the broker?"""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = "unavailable"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception:  # noqa: BLE001
        checks["broker"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


# Invitations ---------------------------------------------------------------------------------


def _require_inviter(user):
    if not user.has_perm("coproduction.invite_people"):
        raise PermissionDenied


def invitation_list(request):
    _require_inviter(request.user)
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")[:200]
    return render(request, "coproduction/invitation_list.html", {"invitations": invitations})


def invitation_create(request):
    _require_inviter(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite_person(invited_by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("invitation_list")
    return render(request, "coproduction/invitation_form.html", {"form": form})


@require_POST
def invitation_revoke(request, public_id):
    _require_inviter(request.user)
    invitation = get_object_or_404(Invitation, public_id=public_id)
    try:
        services.revoke_invitation(invitation=invitation, by=request.user, request=request)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("invitation_list")


@never_cache
@login_not_required
def invitation_accept(request, token):
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "coproduction/invitation_unusable.html", {"invitation": invitation}, status=410)

    from django.contrib.auth import get_user_model

    account_exists = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    if account_exists:
        # Someone who already has an account signs in as that account, then accepts.
        if not request.user.is_authenticated:
            return render(request, "coproduction/invitation_sign_in.html", {"invitation": invitation})
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=request.user, request=request)
            except services.InvitationError as error:
                messages.error(request, str(error))
                return redirect("dashboard")
            messages.success(request, _("You now have the %(role)s role.") % {"role": invitation.get_role_display()})
            return redirect("dashboard")
        return render(request, "coproduction/invitation_confirm.html", {"invitation": invitation})

    if request.user.is_authenticated:
        messages.error(request, _("Sign out first: this invitation is for a new account."))
        return redirect("dashboard")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(
            invitation=invitation,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
            request=request,
        )
        messages.success(request, _("Your account is ready. Next, set up two-step verification."))
        # Sign in through allauth, recording that they just chose a password: allauth asks for
        # a recent sign-in before two-step verification can be set up.
        response = perform_login(request, user, redirect_url=reverse("mfa_activate_totp"))
        record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
        return response
    return render(request, "coproduction/invitation_accept.html", {"invitation": invitation, "form": form})


# Error pages --------------------------------------------------------------------------------


def permission_denied(request, exception=None):
    """403: say so plainly, and keep a record of who tried what."""
    from coproduction import audit

    audit.record("permission.denied", actor=request.user, detail=request.path[:200], request=request)
    return render(request, "403.html", status=403)
