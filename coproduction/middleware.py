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


class SecurityHeaders:
    """Headers Django 5.2 does not set itself: a strict Content Security Policy (no inline scripts),
    Permissions-Policy, and no caching of signed-in pages."""

    # Fonts may come from the NHS CDN; offline the page falls back to Arial, which is fine.
    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self' https://assets.nhs.uk; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    # The Django admin uses inline styles; its scripts are still only our own files.
    ADMIN_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.ADMIN_POLICY if request.path.startswith("/admin/") else self.POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal data must not linger in shared or browser caches.
            response.headers["Cache-Control"] = "no-store"
        return response


class PrivilegedSessionTimeout:
    """Staff, leaders, finance officers and administrators are signed out after 30 minutes idle.

    Members keep the ordinary session length: many use the portal in short visits over days.
    """

    SESSION_KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings
        from django.contrib.auth import logout

        user = request.user
        if user.is_authenticated and user.needs_mfa:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.PRIVILEGED_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out because you were away for more than 30 minutes."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Noted at most once a minute: a change on every page would write the session every time.
            if last_seen is None or now - last_seen >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
