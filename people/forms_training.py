"""Forms for courses, sessions, attendance, a person's own records and importing past completions."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms_nhsuk import NHSDateField
from coproduction.roles import Role
from people import training as services
from people.models.training import Course
from people.training_rules import audience_of

User = get_user_model()


class CourseForm(forms.ModelForm):
    web_address = forms.URLField(
        label=_("Web address"),
        required=False,
        assume_scheme="https",
        help_text=_("Where to do it online, for e-learning. Optional."),
        error_messages={"invalid": _("Enter a web address that starts with https://")},
    )
    valid_for_months = forms.IntegerField(
        label=_("How many months it stays valid"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=_("For example, 12 for one year. Leave empty if it never needs to be done again."),
        error_messages={
            "invalid": _("Enter the number of months as a whole number, like 12"),
            "min_value": _("The number of months must be 1 or more"),
            "max_value": _("The number of months must be 240 or fewer"),
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "code",
            "description",
            "audience",
            "format",
            "length",
            "valid_for_months",
            "provider",
            "web_address",
            "required_for",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "audience": forms.RadioSelect,
            "format": forms.RadioSelect,
            "required_for": forms.RadioSelect,
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
            "length": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
        }
        labels = {"is_active": _("We offer this course now")}
        error_messages = {
            "title": {"required": _("Enter the course title")},
            "code": {"required": _("Enter a course code")},
            "description": {"required": _("Say what the course is about")},
            "audience": {"required": _("Select who the course is for")},
            "format": {"required": _("Select how the course is taught")},
            "length": {"required": _("Enter how long the course takes")},
            "provider": {"required": _("Enter who runs the course")},
            "required_for": {"required": _("Select who must do the course")},
        }

    def _unique(self, name, message):
        value = self.cleaned_data[name].strip()
        clash = Course.objects.filter(**{f"{name}__iexact": value})
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(message)
        return value

    def clean_title(self):
        return self._unique("title", _("Another course already has this title"))

    def clean_code(self):
        return self._unique("code", _("Another course already has this code"))

    def clean(self):
        cleaned = super().clean()
        audience, required_for = cleaned.get("audience"), cleaned.get("required_for")
        if required_for == Course.RequiredFor.PROGRAMME_STAFF and audience == Course.Audience.MEMBERS:
            self.add_error("required_for", _("A course for members only cannot be required for programme staff"))
        if required_for == Course.RequiredFor.MEMBERS and audience == Course.Audience.STAFF:
            self.add_error("required_for", _("A course for staff only cannot be required for members"))
        return cleaned


class ClockTimeField(forms.Field):
    """A time of day typed as people write it: 10:00, 14:30, 2:30pm, 2pm, 9.15am."""

    WORDS = {"noon": datetime.time(12), "midday": datetime.time(12)}
    FORMATS = ("%H:%M", "%I:%M%p", "%I%p", "%H%M")

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "nhsuk-input--width-5"}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter the %(what)s") % {"what": what},
                "invalid": _("Enter the %(what)s as a time like 10:00 or 2:30pm") % {"what": what},
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.time):
            return value
        text = (value or "").strip().lower().replace(" ", "").replace(".", ":")
        if not text:
            return None
        if text in self.WORDS:
            return self.WORDS[text]
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return value


class SessionForm(forms.Form):
    starts_on = NHSDateField(
        label=_("Date"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the session")},
    )
    start_time = ClockTimeField(label=_("Start time"), what=_("start time"), help_text=_("For example, 10:00 or 2pm"))
    end_time = ClockTimeField(label=_("End time"), what=_("end time"))
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("The address, if it is in person. Say if there is step-free access."),
    )
    joining_link = forms.URLField(
        label=_("Joining link"),
        required=False,
        help_text=_("The link to join, if it is online."),
        assume_scheme="https",
        error_messages={"invalid": _("Enter a joining link that starts with https://")},
    )
    places = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
        error_messages={
            "required": _("Enter the number of places"),
            "invalid": _("Enter the number of places as a whole number, like 12"),
            "min_value": _("The number of places must be 1 or more"),
            "max_value": _("The number of places must be 500 or fewer"),
        },
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=User.objects.none(),
        help_text=_("The member of staff who runs the session and marks attendance."),
        empty_label=_("Choose the organiser"),
        error_messages={"required": _("Choose the organiser")},
    )

    def __init__(self, *args, course, session=None, **kwargs):
        self.course = course
        self.session = session
        if session is not None and not kwargs.get("initial"):
            # The view passes initial=None when editing: the session's own values are the answers.
            local_start, local_end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            kwargs["initial"] = {
                "starts_on": local_start.date(),
                "start_time": local_start.time(),
                "end_time": local_end.time(),
                "place": session.place,
                "joining_link": session.joining_link,
                "places": session.places,
                "organiser": session.organiser_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = User.objects.filter(groups__name=Role.STAFF, is_active=True).order_by(
            "name", "email"
        )
        if course.format == Course.Format.IN_PERSON:
            self.fields.pop("joining_link")
        elif course.format == Course.Format.ONLINE:
            self.fields.pop("place")

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("starts_on"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start), zone)
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end), zone)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", _("The end time must be after the start time"))
            changed = self.session is None or cleaned["starts_at"] != self.session.starts_at
            if changed and cleaned["starts_at"] <= timezone.now():
                self.add_error("starts_on", _("The session must start in the future"))
        if "place" in self.fields and self.course.format == Course.Format.IN_PERSON and not cleaned.get("place"):
            self.add_error("place", _("Enter the address where the session happens"))
        if (
            "joining_link" in self.fields
            and self.course.format == Course.Format.ONLINE
            and not cleaned.get("joining_link")
        ):
            self.add_error("joining_link", _("Enter the link people use to join"))
        return cleaned

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data.get("place", "") or "",
            "joining_link": data.get("joining_link", "") or "",
            "places": data["places"],
            "organiser": data["organiser"],
        }


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who came?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone who attended. Everyone not ticked is marked as not attending."),
        error_messages={"invalid_choice": _("Select only people who have a place on this session")},
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        self.fields["attended"].choices = [(str(b.public_id), str(b.person)) for b in bookings]
        if not self.is_bound:
            self.initial["attended"] = [str(b.public_id) for b in bookings if b.status == b.Status.ATTENDED]

    def items(self):
        """Each booked person with their checkbox state, for the template."""
        chosen = set(self["attended"].value() or [])
        return [{"booking": b, "value": str(b.public_id), "checked": str(b.public_id) in chosen} for b in self.bookings]


class OwnRecordForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        empty_label=_("Choose the course"),
        error_messages={"required": _("Choose the course you completed")},
    )
    completed_on = NHSDateField(
        label=_("Date completed"),
        help_text=_("For example, 15 3 2025"),
        error_messages={"required": _("Enter the date you completed the course")},
    )
    certificate = forms.FileField(
        label=_("Certificate"),
        help_text=_("A PDF, JPG or PNG file, up to 10 MB."),
        error_messages={"required": _("Select your certificate"), "empty": _("The selected file is empty")},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.active().for_audience(**audience_of(person)).order_by("title")
        self.fields["completed_on"].max_date = timezone.localdate()
        self.fields["completed_on"].error_messages["max_date"] = _("Date completed must be today or in the past")
        limit = services.certificate_max_bytes() / (1024 * 1024)
        self.fields["certificate"].help_text = _("A PDF, JPG or PNG file, up to %(size)s MB.") % {"size": f"{limit:g}"}

    def clean_certificate(self):
        upload = self.cleaned_data["certificate"]
        self.content_type = services.check_certificate(upload)
        return upload


class ImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("CSV file of completed training"),
        help_text=_("Columns: email, course (its code or title) and completion date. Up to 1 MB."),
        error_messages={"required": _("Select a CSV file"), "empty": _("The selected file is empty")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("The selected file must be a CSV"))
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The selected file must be smaller than 1 MB"))
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The selected file must be saved as UTF-8 CSV")) from None
        return upload
