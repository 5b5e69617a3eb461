"""Forms for a member's profile, access needs, equality monitoring, consent and deletion.

Members read every word here: plain English, short hints, errors that say how to fix the answer.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.forms import SafeModelMultipleChoiceField
from people.models.profiles import (
    AGE_BANDS,
    CARER,
    DISABILITIES,
    ETHNICITY_CHOICES,
    GENDER_SAME_AS_BIRTH,
    POSTCODE_DISTRICT,
    PREFER_NOT_TO_SAY,
    RELIGIONS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    AccessNeed,
    LivedExperienceTag,
    PaymentPreference,
)

CONTACT_CHOICES = [("email", _("Email")), ("phone", _("Phone")), ("post", _("Post"))]
BENEFITS_ADVICE = _(
    "If you get benefits, please get advice before you accept payment or vouchers, even if you plan to say "
    "no to them. Being offered payment can affect some benefits. Citizens Advice or your benefits adviser can help."
)


def _fieldset_helper(*fieldsets):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*(Fieldset(legend, *fields) for legend, fields in fieldsets))
    return helper


class TagChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Write it the way you write it. You can use any language or alphabet."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name")},
    )
    preferred_name = forms.CharField(
        label=_("What would you like us to call you?"),
        required=False,
        max_length=100,
        help_text=_("For example, your first name or a name you like to use."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    pronouns = forms.CharField(
        label=_("Your pronouns"),
        required=False,
        max_length=50,
        help_text=_("For example, she/her, he/him or they/them."),
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("How are you happy for us to contact you?"),
        choices=CONTACT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that you are happy with."),
        error_messages={"required": _("Choose at least one way we can contact you")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Only if you chose phone. For example, 07700 900 982."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "nhsuk-input--width-20"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        help_text=_("Only if you chose post."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    lived_experience = TagChoiceField(
        label=_("What do you have lived experience of?"),
        queryset=LivedExperienceTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "As a patient, someone who uses services, or a carer. Choose any that apply. "
            "We use this to tell you about opportunities that matter to you."
        ),
    )
    payment_preference = forms.ChoiceField(
        label=_("How would you like to be thanked for your time?"),
        choices=PaymentPreference.choices,
        widget=forms.RadioSelect,
        help_text=BENEFITS_ADVICE,
        error_messages={"required": _("Choose payment, a voucher or no payment")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tags = LivedExperienceTag.objects.active()
        initial_tags = self.initial.get("lived_experience") or []
        # A tag an administrator has since retired stays on the form for people who chose it.
        self.fields["lived_experience"].queryset = (tags | LivedExperienceTag.objects.filter(
            pk__in=[getattr(t, "pk", t) for t in initial_tags]
        )).distinct()
        sections = [
            (_("About you"), ["name", "preferred_name", "pronouns"]),
            (_("How we contact you"), ["contact_methods", "phone", "postal_address"]),
            (_("Your lived experience"), ["lived_experience"]),
            (_("Being thanked for your time"), ["payment_preference"]),
        ]
        self.helper = _fieldset_helper(*sections)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name"))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            digits = re.sub(r"[\s()\-]", "", phone)
            if not re.fullmatch(r"\+?\d{10,15}", digits):
                raise forms.ValidationError(
                    _("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
                )
        return phone

    def clean(self):
        cleaned = super().clean()
        methods = cleaned.get("contact_methods") or []
        if "phone" in methods and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter your phone number, or untick phone"))
        if "post" in methods and not cleaned.get("postal_address", "").strip() and "postal_address" not in self.errors:
            self.add_error("postal_address", _("Enter your postal address, or untick post"))
        return cleaned

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        methods = set(data["contact_methods"])
        return {
            "name": data["name"],
            "preferred_name": data["preferred_name"].strip(),
            "pronouns": data["pronouns"].strip(),
            "contact_by_email": "email" in methods,
            "contact_by_phone": "phone" in methods,
            "contact_by_post": "post" in methods,
            "phone": data["phone"] if "phone" in methods else "",
            "postal_address": data["postal_address"].strip() if "post" in methods else "",
            "lived_experience": list(data["lived_experience"]),
            "payment_preference": data["payment_preference"],
        }

    @staticmethod
    def initial_for(user, profile) -> dict:
        return {
            "name": user.name,
            "preferred_name": profile.preferred_name,
            "pronouns": profile.pronouns,
            "contact_methods": profile.contact_methods,
            "phone": profile.phone,
            "postal_address": profile.postal_address,
            "lived_experience": list(profile.lived_experience.all()) if profile.pk else [],
            "payment_preference": profile.payment_preference,
        }


class AccessNeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What support do you need to take part?"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply. Leave them all empty if you do not need any of these."),
    )
    other_details = forms.CharField(
        label=_("If you chose something else, tell us what you need"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, breaks every 30 minutes, or papers sent a week before a meeting."),
    )

    def clean(self):
        cleaned = super().clean()
        needs = cleaned.get("needs") or []
        details = (cleaned.get("other_details") or "").strip()
        if AccessNeed.OTHER in needs and not details and "other_details" not in self.errors:
            self.add_error("other_details", _("Tell us what else you need, or untick “Something else”"))
        return cleaned

    @staticmethod
    def initial_for(record) -> dict:
        if record is None:
            return {}
        return {"needs": record.chosen, "other_details": record.other_details}


def _radio_question(label, choices, hint=""):
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect, help_text=hint)


class EqualityForm(forms.Form):
    """Every question is optional and has "Prefer not to say". Leaving one out means not answered."""

    age_band = _radio_question(_("How old are you?"), AGE_BANDS)
    sex = _radio_question(_("What is your sex?"), SEXES)
    gender_same_as_birth = _radio_question(
        _("Is the gender you identify with the same as your sex registered at birth?"), GENDER_SAME_AS_BIRTH
    )
    sexual_orientation = _radio_question(
        _("Which of these best describes your sexual orientation?"), SEXUAL_ORIENTATIONS
    )
    ethnicity = forms.ChoiceField(
        label=_("What is your ethnic group?"),
        choices=[("", _("Choose your ethnic group")), *ETHNICITY_CHOICES],
        required=False,
        help_text=_("The groups are the ones used in the 2021 census for England and Wales."),
    )
    disability = _radio_question(
        _(
            "Are your day-to-day activities limited because of a health problem or disability which has lasted, "
            "or is expected to last, at least 12 months?"
        ),
        DISABILITIES,
        _("Include problems related to old age."),
    )
    religion = _radio_question(_("What is your religion or belief?"), RELIGIONS)
    carer = _radio_question(
        _(
            "Do you look after, or give help or support to, anyone because of a long-term health condition, "
            "disability or problems related to old age?"
        ),
        CARER,
        _("Do not count anything you do as part of your paid work."),
    )
    postcode_district = forms.CharField(
        label=_("The first part of your postcode"),
        required=False,
        max_length=10,
        help_text=_("For example, LS1, M14 or SW1A. If you type your whole postcode, we only keep the first part."),
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}),
    )
    postcode_prefer_not_to_say = forms.BooleanField(label=_("Prefer not to say where I live"), required=False)

    def clean_postcode_district(self):
        value = re.sub(r"\s+", " ", self.cleaned_data["postcode_district"].strip().upper())
        if not value:
            return ""
        # A full postcode: keep only its first part (the district).
        full = re.fullmatch(r"([A-Z0-9]{2,4}) ?[0-9][A-Z]{2}", value)
        if full:
            value = full.group(1)
        if not POSTCODE_DISTRICT.fullmatch(value):
            raise forms.ValidationError(_("Enter the first part of a postcode, like LS1, M14 or SW1A"))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("postcode_prefer_not_to_say") and cleaned.get("postcode_district"):
            self.add_error(
                "postcode_district",
                _("Enter the first part of your postcode, or tick “Prefer not to say where I live” – not both"),
            )
        return cleaned

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        prefer_not = data.pop("postcode_prefer_not_to_say")
        if prefer_not:
            data["postcode_district"] = PREFER_NOT_TO_SAY
        return data

    @staticmethod
    def initial_for(record) -> dict:
        if record is None:
            return {}
        initial = {name: getattr(record, name) for name in record.QUESTIONS}
        if record.postcode_district == PREFER_NOT_TO_SAY:
            initial["postcode_district"] = ""
            initial["postcode_prefer_not_to_say"] = True
        return initial


class PrivacyNoticeForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the privacy notice and I agree to it"),
        error_messages={"required": _("Tick the box to say you have read the privacy notice and agree to it")},
    )


class ContactConsentForm(forms.Form):
    happy = forms.ChoiceField(
        label=_("Would you like us to tell you about new opportunities to get involved?"),
        choices=[("yes", _("Yes, tell me about new opportunities")), ("no", _("No, do not contact me about them"))],
        widget=forms.RadioSelect,
        help_text=_("We will still contact you about things you have asked for, like your applications and payments."),
        error_messages={"required": _("Choose yes or no")},
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.ChoiceField(
        label=_("Are you sure you want us to delete your account?"),
        choices=[("yes", _("Yes, delete my account")), ("no", _("No, keep my account"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes if you want us to delete your account")},
    )
