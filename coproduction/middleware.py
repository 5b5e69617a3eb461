from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a privileged user may reach before setting up MFA: allauth's own account pages (sign out,
# two-factor set-up, password, email) and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


class RequireMFAForPrivilegedRoles:
    """Staff, leaders, finance officers and administrators must set up two-factor authentication
    (an authenticator app) before they reach any signed-in page, the Django admin included.

    allauth.mfa has no per-role switch, so this middleware supplies one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not user.needs_mfa:
            return None
        path = request.path
        if path.startswith(MFA_EXEMPT_PREFIXES):
            return None
        is_public = not getattr(view_func, "login_required", True)
        if is_public and not path.startswith("/admin/"):
            return None
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.info(request, _("Set up two-step verification to continue. Your role needs it."))
            return redirect(reverse("mfa_activate_totp"))
        return None
