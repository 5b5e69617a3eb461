"""Forms for champion commitments and sign-off requests. Plain English: leaders and staff read these."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coproduction.forms_nhsuk import NHSDateField
from coproduction.roles import Role
from programmes.models import Programme

User = get_user_model()

YES, NO = "yes", "no"
PLEDGE_MAX_LENGTH = 2000
REVIEW_DATE_HINT = _("When you will look again at what you pledged. For example, 27 3 2027")


def leaders_to_ask(asked_by):
    """Everyone with the Leader role who can be asked, except the person asking."""
    return (
        User.objects.filter(groups__name=Role.LEADER, is_active=True)
        .exclude(pk=asked_by.pk)
        .order_by("name", "email")
        .distinct()
    )


def programmes_to_ask_about(user):
    """Administrators may ask about any programme; staff about the programmes they work on."""
    programmes = Programme.objects.exclude(status=Programme.Status.CLOSED)
    if user.has_role(Role.ADMINISTRATOR):
        return programmes
    return programmes.filter(team_memberships__user=user)


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


def _scope_field(queryset, label):
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=_("The whole system"),
        help_text=_("Choose “The whole system” if it is not about one programme."),
    )


def _pledge_field(required=True):
    return forms.CharField(
        label=_("What you pledge to do"),
        required=required,
        max_length=PLEDGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Use plain words. Anyone can read this on the “Our champions” page."),
        error_messages={"required": _("Write what you pledge to do")},
    )


def _review_date_field(required=True):
    return NHSDateField(
        label=_("Review date"),
        required=required,
        must_be_in_the_future=True,
        help_text=REVIEW_DATE_HINT,
    )


SAY_WHY = _("Say why")


def _reason_field(label, hint, *, required=False, required_message=SAY_WHY):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=hint,
        error_messages={"required": required_message},
    )


class CommitmentForm(forms.Form):
    """A leader makes a commitment of their own."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    pledge = _pledge_field()
    review_date = _review_date_field()

    def __init__(self, *args, leader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = _scope_field(
            Programme.objects.for_user(leader).exclude(status=Programme.Status.CLOSED),
            _("What is your commitment for?"),
        )
        self.order_fields(["programme", "pledge", "review_date"])


class CommitmentRequestForm(forms.Form):
    """Staff ask a leader to be a champion."""

    leader = LeaderChoiceField(
        label=_("Which leader are you asking?"),
        queryset=User.objects.none(),
        empty_label=_("Choose a leader"),
        error_messages={"required": _("Choose a leader"), "invalid_choice": _("Choose a leader from the list")},
    )
    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    message = forms.CharField(
        label=_("Why are you asking?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you would like them to champion, and why it matters. The leader will read this."),
        error_messages={"required": _("Say why you are asking")},
    )

    def __init__(self, *args, asked_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders_to_ask(asked_by)
        self.fields["programme"] = _scope_field(programmes_to_ask_about(asked_by), _("What is it for?"))
        self.order_fields(["leader", "programme", "message"])


class SignOffRequestForm(forms.Form):
    """Staff ask a leader to sign off a programme's co-production plan."""

    leader = LeaderChoiceField(
        label=_("Which leader are you asking?"),
        queryset=User.objects.none(),
        empty_label=_("Choose a leader"),
        error_messages={"required": _("Choose a leader"), "invalid_choice": _("Choose a leader from the list")},
    )
    message = forms.CharField(
        label=_("What are you asking them to approve?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what the plan is and what you need from them. The leader will read this."),
        error_messages={"required": _("Say what you are asking the leader to approve")},
    )

    def __init__(self, *args, asked_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders_to_ask(asked_by)


class CommitmentDecisionForm(forms.Form):
    """The leader asked says yes (writing the pledge and review date) or no, and always says why.

    The pledge and review date are needed only for a yes: they are marked required (so the page
    does not call them optional) and let off when the answer sent is no.
    """

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(YES, _("Yes, I will be a champion")), (NO, _("No, not this time"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say yes or no")},
    )
    pledge = _pledge_field()
    review_date = _review_date_field()
    reason = _reason_field(
        _("Your reason"),
        _("Say why you said yes or no. The person who asked will see it."),
        required=True,
        required_message=_("Give a reason for your decision"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pledge"].help_text = _(
            "If you say yes. Use plain words: anyone can read this on the “Our champions” page."
        )
        self.fields["review_date"].help_text = _(
            "If you say yes: when you will look again at what you pledged. For example, 27 3 2027"
        )
        if self.is_bound and self.data.get("decision") == NO:
            self.fields["pledge"].required = False
            self.fields["review_date"].required = False

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        approve = data["decision"] == YES
        kwargs = {"approve": approve, "reason": data["reason"]}
        if approve:
            kwargs.update(pledge=data["pledge"], review_date=data["review_date"])
        return kwargs


class SignOffDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you approve this co-production plan?"),
        choices=[(YES, _("Yes, I approve the plan")), (NO, _("No, I do not approve it yet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say yes or no")},
    )
    reason = _reason_field(
        _("Your reason"),
        _(
            "Say why you approve the plan, or what must change first. "
            "The person who asked, and the programme team, will see it."
        ),
        required=True,
        required_message=_("Give a reason for your decision"),
    )

    def service_kwargs(self) -> dict:
        return {"approve": self.cleaned_data["decision"] == YES, "reason": self.cleaned_data["reason"]}


class WithdrawForm(forms.Form):
    reason = _reason_field(
        _("Why are you withdrawing it?"),
        _("This is kept with the history, for everyone involved to see."),
        required=True,
        required_message=_("Say why you are withdrawing it"),
    )


class RenewForm(forms.Form):
    pledge = _pledge_field()
    review_date = _review_date_field()
    reason = _reason_field(_("What has changed? (optional)"), _("For example, what you have done since you pledged."))
