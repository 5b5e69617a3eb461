"""Forms for recognition. Each names only the fields a person may set: status, amounts for mileage,
who approved and the like are never form fields, so a tampered form cannot set them."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import SafeModelMultipleChoiceField
from coproduction.forms_nhsuk import NHSDateField
from programmes.models import InvolvementPoint, Participant, Project
from recognition.models import (
    RECEIPT_REQUIRED,
    Activity,
    ExpenseCategory,
    ExpensePolicy,
    InvolvementLog,
    RewardChoice,
)
from recognition.models.logs import MAX_MINUTES_A_DAY
from recognition.money import add_months
from recognition.receipts import check_receipt, max_bytes

User = get_user_model()

THANKS_HINT = _(
    "If you get benefits, get advice before you accept a payment or voucher, even if you plan to say no to "
    "payment. If you work for the NHS or another public body, you can only be paid for involvement that is "
    "not part of your job and is done in your own time."
)


class TimeSpentMixin:
    """Hours and minutes boxes, checked together: more than nothing, no more than a day."""

    def clean_time_spent(self, cleaned):
        hours, minutes = cleaned.get("hours") or 0, cleaned.get("minutes") or 0
        if "hours" in self.errors or "minutes" in self.errors:
            return None
        total = hours * 60 + minutes
        if total <= 0:
            self.add_error("hours", _("Enter how long it took, in hours and minutes"))
            return None
        if total > MAX_MINUTES_A_DAY:
            self.add_error("hours", _("Time spent must be 24 hours or less"))
            return None
        cleaned["total_minutes"] = total
        return total


class TimePartField(forms.IntegerField):
    """Hours or minutes: an empty box counts as 0, so "2 hours" needs no "0 minutes". Marked as
    required so the label does not say "(optional)"; the pair is checked together."""

    def to_python(self, value):
        return 0 if value in self.empty_values else super().to_python(value)


def hours_field():
    return TimePartField(
        label=_("Hours"),
        min_value=0,
        max_value=24,
        error_messages={
            "invalid": _("Hours must be a whole number, like 2"),
            "max_value": _("Hours must be 24 or less"),
        },
    )


def minutes_field():
    return TimePartField(
        label=_("Minutes"),
        min_value=0,
        max_value=59,
        error_messages={
            "invalid": _("Minutes must be a whole number, like 30"),
            "max_value": _("Minutes must be 59 or less"),
        },
    )


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, point):
        return f"{point.title} – {point.project.name}, {point.planned_date:%-d %B %Y}"


def projects_taking_part(member):
    return Project.objects.filter(participants__member=member, participants__status=Participant.Status.ACTIVE).order_by(
        "name"
    )


def points_in(projects):
    return (
        InvolvementPoint.objects.filter(project__in=projects, planned_date__lte=timezone.localdate())
        .exclude(status=InvolvementPoint.Status.CANCELLED)
        .select_related("project")
        .order_by("-planned_date", "title")
    )


class ProjectAndPointMixin:
    def _set_project_choices(self, member):
        projects = projects_taking_part(member)
        self.fields["project"].queryset = projects
        self.fields["involvement_point"].queryset = points_in(projects)

    def clean_project_and_point(self, cleaned):
        project, point = cleaned.get("project"), cleaned.get("involvement_point")
        if project and point and point.project_id != project.pk:
            self.add_error("involvement_point", _("Choose an involvement point from the project you chose, or none"))


class LogForm(TimeSpentMixin, ProjectAndPointMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        empty_label=_("Choose a project"),
        error_messages={"required": _("Choose the project"), "invalid_choice": _("Choose a project you take part in")},
    )
    involvement_point = PointChoiceField(
        label=_("Involvement point"),
        queryset=InvolvementPoint.objects.none(),
        required=False,
        empty_label=_("Not at an involvement point"),
        help_text=_("Choose one if this time was at, or to get ready for, a planned involvement point."),
    )
    date = NHSDateField(label=_("Date"), help_text=_("For example, 27 3 2026"))
    activity = forms.ChoiceField(
        label=_("What did you do?"),
        choices=Activity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you did")},
    )
    hours = hours_field()
    minutes = minutes_field()
    note = forms.CharField(
        label=_("Anything staff should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, what you read or who you met."),
    )
    choice = forms.ChoiceField(
        label=_("How would you like to be thanked for this time?"),
        choices=RewardChoice.choices,
        widget=forms.RadioSelect,
        help_text=THANKS_HINT,
        error_messages={"required": _("Choose how you would like to be thanked")},
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I have checked: this is different time, not the same time logged twice"), required=False
    )

    def __init__(self, *args, member, instance: InvolvementLog | None = None, **kwargs):
        self.member, self.instance = member, instance
        self.duplicates = []
        super().__init__(*args, **kwargs)
        self._set_project_choices(member)
        today = timezone.localdate()
        self.fields["date"].max_date = today
        self.fields["date"].error_messages["max_date"] = _("Date must be today or in the past")

    def clean(self):
        cleaned = super().clean()
        self.clean_project_and_point(cleaned)
        self.clean_time_spent(cleaned)
        project, date = cleaned.get("project"), cleaned.get("date")
        if project and date and not self.errors:
            self.duplicates = list(
                InvolvementLog.objects.likely_duplicates(
                    member=self.member,
                    project=project,
                    date=date,
                    point=cleaned.get("involvement_point"),
                    exclude=self.instance,
                )
            )
            if self.duplicates and not cleaned.get("not_a_duplicate"):
                self.add_error(
                    "not_a_duplicate",
                    _(
                        "You have already logged time for this project on this day. "
                        "Check it is not the same time, then tick the box"
                    ),
                )
        return cleaned


class ClaimForm(ProjectAndPointMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Which project were the costs for?"),
        queryset=Project.objects.none(),
        empty_label=_("Choose a project"),
        error_messages={"required": _("Choose the project"), "invalid_choice": _("Choose a project you take part in")},
    )
    involvement_point = PointChoiceField(
        label=_("Involvement point"),
        queryset=InvolvementPoint.objects.none(),
        required=False,
        empty_label=_("Not for one involvement point"),
    )
    note = forms.CharField(
        label=_("What were the costs for?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, travel to the workshop on 3 March."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_project_choices(member)

    def clean(self):
        cleaned = super().clean()
        self.clean_project_and_point(cleaned)
        return cleaned


class ExpenseItemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of cost is it?"),
        choices=ExpenseCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of cost")},
    )
    date = NHSDateField(label=_("Date of the cost"))
    description = forms.CharField(
        label=_("What was it?"),
        max_length=300,
        help_text=_("For example, return bus fare from Northbrook to the hospital."),
        error_messages={"required": _("Enter what the cost was")},
    )
    amount = forms.DecimalField(
        label=_("Amount in pounds (£)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("In pounds, for example 4.50. Leave this empty for car mileage: we work it out from the miles."),
        error_messages={
            "invalid": _("Amount must be a number, like 4.50"),
            "max_decimal_places": _("Amount must be in pounds and pence, like 4.50"),
            "min_value": _("Amount must be more than £0"),
        },
    )
    miles = forms.DecimalField(
        label=_("Miles driven"),
        required=False,
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0.1"),
        error_messages={
            "invalid": _("Miles must be a number, like 12 or 12.5"),
            "max_decimal_places": _("Miles can have one number after the point, like 12.5"),
            "min_value": _("Miles must be more than 0"),
        },
    )
    agreed_with = forms.CharField(
        label=_("Who agreed the carer or support worker before the day?"),
        required=False,
        max_length=200,
        help_text=_("Only for a carer or support worker. For example, the project lead's name."),
    )
    receipt = forms.FileField(
        label=_("Receipt or ticket"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        policy = ExpensePolicy.in_force_on(today)
        self.fields["date"].max_date = today
        self.fields["date"].min_date = add_months(today, -policy.claim_window_months)
        self.fields["date"].help_text = _(
            "For example, 27 3 2026. You can claim for costs from the last %(months)s months."
        ) % {"months": policy.claim_window_months}
        self.fields["date"].error_messages.update(
            {
                "max_date": _("Date of the cost must be today or in the past"),
                "min_date": _("You can only claim for costs from the last %(months)s months")
                % {"months": policy.claim_window_months},
            }
        )
        self.fields["amount"].widget.attrs["class"] = "nhsuk-input--width-5"
        self.fields["miles"].widget.attrs["class"] = "nhsuk-input--width-5"
        self.fields["miles"].help_text = _("Only for car mileage. We pay %(rate)sp a mile.") % {
            "rate": f"{policy.mileage_rate * 100:g}"
        }
        self.fields["receipt"].help_text = _(
            "A photo or scan: PDF, JPG or PNG, smaller than %(size)s MB. You must add one for fares and parking."
        ) % {"size": f"{max_bytes() / (1024 * 1024):g}"}

    def clean_receipt(self):
        uploaded = self.cleaned_data.get("receipt")
        if uploaded:
            self.receipt_type = check_receipt(uploaded)
        return uploaded or None

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category == ExpenseCategory.MILEAGE:
            if not cleaned.get("miles") and "miles" not in self.errors:
                self.add_error("miles", _("Enter how many miles you drove"))
        elif category and not cleaned.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Enter how much it cost"))
        if category == ExpenseCategory.CARER and not (cleaned.get("agreed_with") or "").strip():
            self.add_error("agreed_with", _("Enter who agreed the carer or support worker before the day"))
        if category in RECEIPT_REQUIRED and not cleaned.get("receipt") and "receipt" not in self.errors:
            self.add_error("receipt", _("Add a photo or scan of the receipt or ticket"))
        return cleaned


class ReasonMixin:
    NEEDS_REASON: set = set()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in self.NEEDS_REASON and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Enter your question or reason. The member will see it"))
        return cleaned


QUESTION_OR_REASON = _("Your question or reason")


def reason_field(label=QUESTION_OR_REASON):
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member will see this. Needed if you ask a question or do not confirm."),
    )


class DecideLogForm(ReasonMixin, forms.Form):
    CONFIRM, QUERY, REJECT = "confirm", "query", "reject"
    NEEDS_REASON = {QUERY, REJECT}

    decision = forms.ChoiceField(
        label=_("What is your decision?"),
        choices=[
            (CONFIRM, _("Confirm the time")),
            (QUERY, _("Ask the member a question first")),
            (REJECT, _("Do not confirm the time")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    reason = reason_field()


class DecideItemForm(ReasonMixin, forms.Form):
    APPROVE, REJECT = "approve", "reject"
    NEEDS_REASON = {REJECT}

    decision = forms.ChoiceField(
        label=_("What is your decision about this cost?"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Do not approve"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    reason = reason_field(_("Reason"))


class CorrectRewardForm(TimeSpentMixin, forms.Form):
    CHANGE, CANCEL = "change", "cancel"

    action = forms.ChoiceField(
        label=_("What needs to change?"),
        choices=[
            (CHANGE, _("The time, or how the member is thanked")),
            (CANCEL, _("Cancel this reward: the time should not have been confirmed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what needs to change")},
    )
    hours = hours_field()
    minutes = minutes_field()
    choice = forms.ChoiceField(
        label=_("How the member is thanked"), choices=RewardChoice.choices, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label=_("Why is it being corrected?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member and finance will see this."),
        error_messages={"required": _("Enter why the reward is being corrected")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.CHANGE:
            self.clean_time_spent(cleaned)
        return cleaned


class PersonChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.name or person.email


class AttendanceForm(TimeSpentMixin, forms.Form):
    people = PersonChoiceField(
        label=_("Who was there?"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the people who were there")},
    )
    activity = forms.ChoiceField(
        label=_("What was it?"), choices=Activity.choices, widget=forms.RadioSelect, initial=Activity.MEETING
    )
    hours = hours_field()
    minutes = minutes_field()

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people

    def clean(self):
        cleaned = super().clean()
        self.clean_time_spent(cleaned)
        return cleaned


class BatchForm(forms.Form):
    up_to = NHSDateField(
        label=_("Include approved rewards and expenses dated up to"),
        help_text=_("For example, the last day of the payroll period."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["up_to"].max_date = timezone.localdate()
        self.fields["up_to"].error_messages["max_date"] = _("The date must be today or in the past")


class CertificateCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=30,
        help_text=_("It is printed on the certificate, for example ABCD-EFGH-JKMN."),
        error_messages={"required": _("Enter the certificate code")},
    )

    def clean_code(self):
        from recognition.models import normalise_code

        code = normalise_code(self.cleaned_data["code"])
        if len(code) != 12:
            raise ValidationError(_("Enter the code as it is printed: 12 letters and numbers"))
        return code
