"""Forms for opportunities, applying, decisions, the public filters and population figures."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import SafeModelMultipleChoiceField
from coproduction.forms_nhsuk import NHSDateField
from people.models import Application, InvolvementLevel, LivedExperienceTag, Opportunity
from people.models.opportunities import DECISIONS_FROM, SELECTION_OUTCOMES, SHORTLISTING_OUTCOMES

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SUPPORT_CHOICES = [
    ("offers_travel_support", _("Travel costs")),
    ("offers_access_support", _("Support with access needs, such as an interpreter or large print")),
    ("offers_carer_support", _("Costs of a carer, or of care while someone takes part")),
]
PLAIN_TEXT_FIELDS = ["what_you_will_do", "time_commitment", "selection_criteria", "easy_read"]


def _yes_no(value) -> str:
    return "yes" if value else "no"


def plain_required_messages(form) -> None:
    """ "Enter the title", "Select where it happens": the GOV.UK pattern, not "This field is required"."""
    for field in form.fields.values():
        if "required" in field.error_messages and str(field.error_messages["required"]).startswith("This field"):
            label = str(field.label or "").rstrip("?")
            lower = label[:1].lower() + label[1:]
            if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)):
                field.error_messages["required"] = _("Select %(label)s") % {"label": lower}
            else:
                field.error_messages["required"] = _("Enter %(label)s") % {"label": lower}


class OpportunityForm(forms.ModelForm):
    involvement_level = forms.TypedChoiceField(
        label=_("Level of involvement"),
        choices=InvolvementLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("NHS England's levels. They set what we offer and pay."),
    )
    is_paid = forms.ChoiceField(
        label=_("Is it paid?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether it is paid")},
    )
    support = forms.MultipleChoiceField(
        label=_("Support we offer"),
        choices=SUPPORT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    closing_date = NHSDateField(
        label=_("Closing date"), help_text=_("The last day people can apply. For example, 27 3 2026")
    )
    questions = forms.CharField(
        label=_("Questions for applicants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write at least one question for applicants to answer")},
        help_text=_("Write each question on its own line. Keep them short and clear."),
    )
    topics = SafeModelMultipleChoiceField(
        label=_("Topics"),
        queryset=LivedExperienceTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lived experience this is about. People can search by these."),
    )
    blind_shortlisting = forms.ChoiceField(
        label=_("Hide names and contact details while you shortlist?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("Blind shortlisting helps you choose fairly, on what people say."),
        error_messages={"required": _("Select whether to hide names while you shortlist")},
    )

    class Meta:
        model = Opportunity
        # is_paid, blind_shortlisting and the support booleans are set from yes/no and checkbox
        # answers in _post_clean; questions and topics are saved by the service.
        fields = [
            "title",
            "what_you_will_do",
            "time_commitment",
            "format",
            "place",
            "involvement_level",
            "payment_details",
            "support_details",
            "selection_criteria",
            "places",
            "closing_date",
            "topics",
            "easy_read",
        ]
        widgets = {
            "what_you_will_do": forms.Textarea(attrs={"rows": 5}),
            "format": forms.RadioSelect,
            "support_details": forms.Textarea(attrs={"rows": 3}),
            "selection_criteria": forms.Textarea(attrs={"rows": 4}),
            "easy_read": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "title": _("Title"),
            "what_you_will_do": _("What you will do"),
            "time_commitment": _("Time needed"),
            "format": _("Where it happens"),
            "place": _("Place"),
            "payment_details": _("Payment details"),
            "support_details": _("More about the support we offer"),
            "selection_criteria": _("How we will choose people"),
            "places": _("Number of places"),
            "easy_read": _("Easy Read version"),
        }
        help_texts = {
            "what_you_will_do": _("Write it as you would say it to the person. Use “you” and “we”."),
            "place": _("The address or area. Leave empty if it is only online."),
            "payment_details": _("If it is paid, say how much. For example, £25 for each 2-hour meeting."),
            "selection_criteria": _("The criteria you will use. Every decision will give its reason against these."),
            "easy_read": _("Short sentences, one idea each. Add pictures in the printed version."),
        }

    field_order = [
        "title",
        "what_you_will_do",
        "time_commitment",
        "format",
        "place",
        "involvement_level",
        "is_paid",
        "payment_details",
        "support",
        "support_details",
        "selection_criteria",
        "places",
        "closing_date",
        "questions",
        "topics",
        "easy_read",
        "blind_shortlisting",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_required_messages(self)
        self.fields["format"].choices = Opportunity.Format.choices  # radios: no "---------"
        self.fields["topics"].queryset = LivedExperienceTag.objects.active().order_by("name")
        self.fields["places"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["places"].widget.attrs["class"] = "nhsuk-input--width-4"
        instance = self.instance
        if instance.pk:
            self.initial["is_paid"] = _yes_no(instance.is_paid)
            self.initial["blind_shortlisting"] = _yes_no(instance.blind_shortlisting)
            self.initial["support"] = [name for name, _label in SUPPORT_CHOICES if getattr(instance, name)]
            self.initial["questions"] = "\n".join(q.text for q in instance.questions.all())
            if instance.status != Opportunity.Status.DRAFT:
                self.fields["questions"].disabled = True
                self.fields["questions"].help_text = _("Questions cannot change once people can apply.")
                self.fields["blind_shortlisting"].disabled = True
        else:
            self.initial.setdefault("blind_shortlisting", "yes")

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places is not None and places < 1:
            raise forms.ValidationError(_("Number of places must be 1 or more"))
        return places

    def clean_closing_date(self):
        closing_date = self.cleaned_data["closing_date"]
        if closing_date and closing_date < timezone.localdate():
            raise forms.ValidationError(_("Closing date must be today or in the future"))
        return closing_date

    def clean_questions(self):
        if self.fields["questions"].disabled:
            return None
        lines = [line.strip() for line in (self.cleaned_data.get("questions") or "").splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one question for applicants to answer"))
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError(_("Each question must be 500 characters or fewer"))
        return lines

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("format") in {Opportunity.Format.IN_PERSON, Opportunity.Format.BOTH}
            and not (cleaned.get("place") or "").strip()
        ):
            self.add_error("place", _("Say where it happens"))
        if cleaned.get("is_paid") == "yes" and not (cleaned.get("payment_details") or "").strip():
            self.add_error("payment_details", _("Say how much people are paid"))
        return cleaned

    def _post_clean(self):
        # Map the yes/no answers and the support checkboxes onto the model before it validates.
        cleaned = self.cleaned_data
        if "is_paid" in cleaned:
            self.instance.is_paid = cleaned["is_paid"] == "yes"
        if "blind_shortlisting" in cleaned and not self.fields["blind_shortlisting"].disabled:
            self.instance.blind_shortlisting = cleaned["blind_shortlisting"] == "yes"
        if "support" in cleaned:
            for name, _label in SUPPORT_CHOICES:
                setattr(self.instance, name, name in cleaned["support"])
        super()._post_clean()

    def plain_text(self) -> dict[str, str]:
        """The texts members read, for the reading-age check."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: data.get(name) or "" for name in PLAIN_TEXT_FIELDS}


class ApplyForm(forms.Form):
    """One answer box per question, and the support the person needs to take part in selection."""

    access_needs = forms.CharField(
        label=_("Do you need any support to take part in choosing people?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "For example, questions in Easy Read, a BSL interpreter, step-free access, or a break. "
            "Only the team choosing people will see this."
        ),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answer_fields = {}
        for question in self.questions:
            answer_fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=5000,
                error_messages={"required": _("Answer this question")},
            )
        self.fields = {**answer_fields, **self.fields}

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data.get(f"answer_{question.pk}", "") for question in self.questions}


class DecisionForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("Applicant"),
        queryset=Application.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose an applicant"),
        error_messages={"invalid_choice": _("Choose an applicant for this opportunity")},
    )
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason, against the published criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_("The applicant will see this. Be kind, clear and specific."),
        error_messages={"required": _("Give the reason for this decision, against the published criteria")},
    )

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        blind = opportunity.is_blind
        queryset = opportunity.applications.active().select_related("applicant").order_by("number")
        self.fields["application"].queryset = queryset
        self.fields["application"].label_from_instance = (
            (lambda a: a.reference) if blind else (lambda a: f"{a.reference}: {a.applicant}")
        )
        if blind:
            outcomes = SHORTLISTING_OUTCOMES
        elif opportunity.shortlisting_done_at is not None:
            outcomes = SELECTION_OUTCOMES
        else:
            outcomes = set(DECISIONS_FROM)
        self.fields["outcome"].choices = [(s.value, s.label) for s in Application.Status if s in outcomes]


class OpportunityFilterForm(forms.Form):
    """The public list's filters, sent by GET so a filtered list has its own address."""

    WHERE_CHOICES = [
        ("", _("In person or online")),
        ("in_person", _("In person")),
        ("online", _("Online")),
    ]

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    where = forms.ChoiceField(label=_("Where"), choices=WHERE_CHOICES, required=False)
    paid = forms.BooleanField(label=_("Paid only"), required=False)
    closing_soon = forms.BooleanField(label=_("Closing in the next 2 weeks"), required=False)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(tag.slug, tag.name) for tag in topics]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class PopulationUploadForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("CSV file of population figures"),
        help_text=_("Columns: characteristic, category, share, area, source, as_of. Up to 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The selected file must be a CSV"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 1 MB"))
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The selected file must be saved as UTF-8 CSV")) from None
        return upload
