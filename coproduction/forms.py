from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduction.roles import Role

User = get_user_model()


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, except that an id too big for the database is "not one of
    the choices" rather than a crash: SQLite raises OverflowError for `pk__in` with a number over 64
    bits (Django guards `pk=` but not `pk__in`), and anyone can post one."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            too_big = next((v for v in value if len(str(v).strip().lstrip("+-")) > 18), "")
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": too_big}
            ) from None


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), help_text=_("We will send the invitation here."))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.INVITABLE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Members register themselves, so they do not need an invitation."),
    )


class AcceptInvitationForm(forms.Form):
    """Sets up the account for a new invited person: their name and a password."""

    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Avoid common words and only numbers."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, User(email=self.email, name=self.data.get("name", "")))
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords do not match. Type the same password twice."))
        return cleaned
