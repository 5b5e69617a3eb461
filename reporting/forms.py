"""Forms for "You said", "We did", schedules, reports and self-assessments. Each names only what a
person may set: who recorded it, dates answered and report states are never form fields."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import SafeModelMultipleChoiceField
from coproduction.forms_nhsuk import NHSDateField
from coproduction.roles import Role
from programmes.models import InvolvementPoint, Participant, Programme, Project
from reporting import periods
from reporting.models import Frequency, Score, Step, Theme, WeDid, YouSaid

User = get_user_model()


class TellUsForm(forms.Form):
    about = forms.ChoiceField(
        label=_("What is it about?"),
        help_text=_("A project you take part in, or its whole programme."),
        error_messages={"required": _("Choose what it is about")},
    )
    theme = forms.ChoiceField(
        label=_("What is it mostly about?"),
        choices=Theme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what it is mostly about")},
    )
    text = forms.CharField(
        label=_("What do you want to tell us?"),
        help_text=_("Say it in your own words. Staff will read it and tell you what we do about it."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": _("Tell us what you want to say")},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        projects = (
            Project.objects.filter(participants__member=member, participants__status=Participant.Status.ACTIVE)
            .select_related("programme")
            .order_by("programme__name", "name")
        )
        choices, seen = [("", _("Choose a project or programme"))], set()
        self.targets = {}
        for project in projects:
            if project.programme_id not in seen:
                seen.add(project.programme_id)
                key = f"programme:{project.programme.public_id}"
                self.targets[key] = (project.programme, None)
                choices.append((key, _("%(programme)s (the whole programme)") % {"programme": project.programme}))
            key = f"project:{project.public_id}"
            self.targets[key] = (project.programme, project)
            choices.append((key, f"{project.programme.name}: {project.name}"))
        self.fields["about"].choices = choices

    def clean_about(self):
        value = self.cleaned_data["about"]
        if value not in self.targets:
            raise forms.ValidationError(_("Choose what it is about"))
        return value

    @property
    def target(self):
        return self.targets[self.cleaned_data["about"]]


class RecordYouSaidForm(forms.Form):
    text = forms.CharField(
        label=_("What was said"),
        help_text=_("In the person's words as far as you can. Do not include anything that identifies them."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Enter what was said")},
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=Theme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a theme")},
    )
    said_on = NHSDateField(label=_("Date it was said"), help_text=_("For example, 27 3 2026"))
    involvement_point = forms.ModelChoiceField(
        label=_("Involvement point where it was said (optional)"),
        queryset=InvolvementPoint.objects.none(),
        required=False,
    )
    project = forms.ModelChoiceField(
        label=_("Project it is about (optional)"), queryset=Project.objects.none(), required=False
    )
    member = forms.ModelChoiceField(
        label=_("Who said it (optional)"),
        help_text=_("Leave empty to keep them anonymous. If you choose someone, they are told what we do about it."),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["involvement_point"].queryset = (
            InvolvementPoint.objects.filter(project__programme=programme)
            .exclude(status=InvolvementPoint.Status.CANCELLED)
            .select_related("project")
            .order_by("-planned_date")
        )
        self.fields["involvement_point"].label_from_instance = lambda p: (
            f"{p.title} ({p.project.name}, {p.planned_date:%-d %b %Y})"
        )
        self.fields["project"].queryset = Project.objects.filter(programme=programme).order_by("name")
        self.fields["member"].queryset = (
            User.objects.filter(
                participations__project__programme=programme, participations__status=Participant.Status.ACTIVE
            )
            .distinct()
            .order_by("name")
        )


class WeDidForm(forms.Form):
    items = SafeModelMultipleChoiceField(
        label=_("Which “You said” items does this answer?"),
        queryset=YouSaid.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one “You said” item this answers")},
    )
    action = forms.CharField(
        label=_("What we will do"),
        help_text=_("In plain English. The person who said it will read this."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what we will do")},
    )
    owner = forms.ModelChoiceField(
        label=_("Who owns this action"), queryset=User.objects.none(), error_messages={"required": _("Choose an owner")}
    )
    due_date = NHSDateField(label=_("Due date"), help_text=_("For example, 27 3 2026"))
    status = forms.ChoiceField(label=_("Status"), choices=WeDid.Status.choices, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("What happened"),
        help_text=_("Fill this in when it is done: what changed, in plain English."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    not_possible_reason = forms.CharField(
        label=_("Why it was not possible"),
        help_text=_("Fill this in if it was not possible. Be honest and specific: people would rather know why."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, programme, we_did=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_items = YouSaid.objects.filter(programme=programme).filter(
            Q(action__isnull=True) | (Q(action=we_did) if we_did else Q(pk__in=[]))
        )
        self.fields["items"].queryset = open_items.select_related("project", "programme").order_by("-said_on")
        self.fields["items"].label_from_instance = lambda i: f"{i.said_on:%-d %b %Y} – {i.text[:120]}"
        self.fields["owner"].queryset = User.objects.filter(team_memberships__programme=programme).order_by("name")
        if we_did is not None:
            self.fields["items"].required = False
            self.fields["items"].label = _("Answer more “You said” items with this (optional)")
            self.fields["items"].queryset = self.fields["items"].queryset.filter(action__isnull=True)


class ScheduleForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("The whole system"),
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect)
    starts_on = NHSDateField(
        label=_("Start from"),
        help_text=_("Reports are for whole months or quarters. The first is for the period this date falls in."),
    )
    subscribers = SafeModelMultipleChoiceField(
        label=_("Who gets each report by email (you are added)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.order_by("name")
        if not user.is_superuser:
            programmes = programmes.filter(team_memberships__user=user)
            self.fields["programme"].required = True
            self.fields["programme"].empty_label = _("Choose a programme")
            self.fields["programme"].error_messages["required"] = _("Choose a programme")
        self.fields["programme"].queryset = programmes
        self.fields["subscribers"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=[Role.STAFF, Role.LEADER])
            .exclude(pk=user.pk)
            .distinct()
            .order_by("name")
        )

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value and value > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("Start from must be within the next year"))
        return value


class ReportNowForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=_("The whole system")
    )
    period_start = NHSDateField(label=_("First day of the period"), help_text=_("For example, 1 1 2026"))
    period_end = NHSDateField(label=_("Last day of the period"), help_text=_("For example, 31 3 2026"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.order_by("name")
        if not user.is_superuser:
            programmes = programmes.filter(team_memberships__user=user)
            self.fields["programme"].required = True
            self.fields["programme"].empty_label = _("Choose a programme")
            self.fields["programme"].error_messages["required"] = _("Choose a programme")
        self.fields["programme"].queryset = programmes
        if not self.is_bound:
            start, end = periods.period_containing(timezone.localdate(), Frequency.MONTHLY)
            previous = periods.previous_period(start, end)
            self.initial.setdefault("period_start", previous[0])
            self.initial.setdefault("period_end", previous[1])


class PublishForm(forms.Form):
    easy_read = forms.CharField(
        label=_("Easy Read summary"),
        help_text=_(
            "Short sentences, one idea each, everyday words. Say what people told us and what we did. "
            "This goes on the public page above the full report."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        error_messages={"required": _("Write the Easy Read summary")},
    )


class SelfAssessmentForm(forms.Form):
    assessed_on = NHSDateField(label=_("Date of the assessment"), help_text=_("For example, 27 3 2026"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step in Step:
            self.fields[f"score_{step.value}"] = forms.TypedChoiceField(
                label=step.label,
                choices=Score.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 4 for step %(step)d") % {"step": step.value}},
            )
            self.fields[f"evidence_{step.value}"] = forms.CharField(
                label=_("Evidence for step %(step)d") % {"step": step.value},
                help_text=_("What shows this score: the figures, documents or what people said."),
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("Give the evidence for step %(step)d") % {"step": step.value}},
            )

    @property
    def scores(self) -> dict:
        data = self.cleaned_data
        return {step.value: (data[f"score_{step.value}"], data[f"evidence_{step.value}"]) for step in Step}
