from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coproduction.forms_nhsuk import NHSDateField
from coproduction.roles import Role
from programmes.models import InvolvementPoint, LadderLevel, Programme, Project, TeamMembership

User = get_user_model()


class DateRangeMixin:
    """Start and end dates, with the end on or after the start, said next to the end date."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be the same as or after the start date."))
        return cleaned


class ProgrammeForm(DateRangeMixin, forms.ModelForm):
    start_date = NHSDateField(label=_("Start date"), help_text=_("For example, 1 4 2026"))
    end_date = NHSDateField(label=_("End date"), required=False, help_text=_("Leave empty if it has no planned end."))

    class Meta:
        model = Programme
        fields = ["name", "partner", "purpose", "start_date", "end_date", "status"]
        widgets = {"status": forms.RadioSelect, "purpose": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"partner": _("The partner organisation that owns this programme.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = self.fields["partner"].queryset.filter(is_active=True)
        self.fields["partner"].empty_label = _("Choose a partner organisation")


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Member of staff"), queryset=User.objects.none(), empty_label=_("Choose a member of staff")
    )
    role = forms.ChoiceField(
        label=_("Their role on the programme"), choices=TeamMembership.Role.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(groups__name=Role.STAFF, is_active=True).exclude(
            team_memberships__programme=programme
        )


class ProjectForm(DateRangeMixin, forms.ModelForm):
    start_date = NHSDateField(label=_("Start date"))
    end_date = NHSDateField(label=_("End date"), required=False)

    class Meta:
        model = Project
        fields = ["name", "purpose", "lead", "stage", "start_date", "end_date", "status"]
        widgets = {
            "stage": forms.RadioSelect,
            "status": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"stage": _("Where the project is now.")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead is someone on the programme's team.
        self.fields["lead"].queryset = User.objects.filter(team_memberships__programme=programme)
        self.fields["lead"].empty_label = _("Choose the project lead")


class InvolvementPointForm(forms.ModelForm):
    planned_date = NHSDateField(label=_("Planned date"))
    ladder_level = forms.TypedChoiceField(
        label=_("Level on the ladder of co-production"),
        choices=LadderLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("How much power people will have. Co-design and co-production share the most."),
    )

    class Meta:
        model = InvolvementPoint
        fields = ["title", "stage", "decision", "ladder_level", "planned_date", "format", "involvement_level"]
        widgets = {
            "stage": forms.RadioSelect,
            "format": forms.RadioSelect,
            "decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["involvement_level"].empty_label = _("Not set")


class CancelPointForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was it cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People who planned to come will see this."),
        max_length=2000,
    )


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Which rung of the ladder did this reach?"),
        choices=LadderLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Think about how much say people really had in the decision."),
    )
    comment = forms.CharField(
        label=_("Anything you want to add"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ParticipantInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("The member's email address"), help_text=_("They must already be registered as a member.")
    )
    message = forms.CharField(
        label=_("Message to the member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what they have agreed to and what happens next."),
        max_length=2000,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.member = User.objects.filter(email__iexact=email, groups__name=Role.MEMBER, is_active=True).first()
        if self.member is None:
            raise forms.ValidationError(_("There is no registered member with this email address."))
        return email


class ParticipationResponseForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Do you want to take part?"),
        choices=[("yes", _("Yes, I want to take part")), ("no", _("No, not this time"))],
        widget=forms.RadioSelect,
    )
