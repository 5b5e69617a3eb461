"""How allauth fits the portal: email sent through Celery, new sign-ups become Members."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.emails import queue_email
from coproduction.roles import Role, role_group


class AccountAdapter(DefaultAccountAdapter):
    # Plain English for the messages people meet most.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is not active. Contact the co-production team for help."),
        "email_password_mismatch": _("The email address or password is not right. Check them and try again."),
        "email_taken": _("Someone has already registered with this email address."),
        "enter_current_password": _("Type your current password."),
        "incorrect_code": _("The code is not right. Check it and try again."),
        "incorrect_password": _("The password is not right."),
        "invalid_or_expired_key": _("This link has expired or has already been used."),
        "invalid_password_reset": _("This password reset link has expired or has already been used."),
        "rate_limited": _("You have tried too many times. Wait a few minutes, then try again."),
    }

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        queue_email(to=message.to, subject=message.subject, body=message.body, html_body=html_body)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Anyone who registers themselves is a Member; other roles come by invitation only.
            user.groups.add(role_group(Role.MEMBER))
        return user


class SignupDetailsForm(forms.Form):
    """Extra sign-up field: the name we should use. Any script; no titles or gender asked."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("The name you would like us to use. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
