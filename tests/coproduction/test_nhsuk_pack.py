"""The NHS.UK crispy-forms pack (templates/nhsuk/) and the re-skinned allauth pages.

What a person filling in a form would notice: the "There is a problem" box lists every mistake and
each link jumps to the box to fix; each wrong answer is marked where it is; optional questions say
so; dates are asked as day, month and year, with clear messages.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path, reverse
from django.views.decorators.csrf import csrf_exempt

from coproduction.forms_nhsuk import NHSDateField, NHSDateInput

# HTML helpers ------------------------------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.nodes = [], []  # nodes: child elements and text, in document order

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        parts = [node if isinstance(node, str) else node.text() for node in self.nodes]
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Page(HTMLParser):
    """A small DOM: enough to follow ids, classes and nesting the way a browser would."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {}, None)
        self.current = self.root
        self.feed(html)
        self.html = html

    def handle_starttag(self, tag, attrs):
        element = Element(tag, [(k, v if v is not None else "") for k, v in attrs], self.current)
        self.current.children.append(element)
        self.current.nodes.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, [(k, v or "") for k, v in attrs], self.current)
        self.current.children.append(element)
        self.current.nodes.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.nodes.append(data)

    def all(self, tag=None, cls=None):
        return [e for e in self.root.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def by_id(self, identifier):
        found = [e for e in self.root.iter() if e.attrs.get("id") == identifier]
        assert len(found) == 1, f"expected one element with id={identifier!r}, found {len(found)}"
        return found[0]

    def group_of(self, element):
        return next(a for a in element.ancestors() if "nhsuk-form-group" in a.classes)

    def summary_links(self):
        summary = self.all("div", "nhsuk-error-summary")
        assert len(summary) == 1, "expected one error summary"
        return [(a.attrs["href"], a.text()) for a in summary[0].iter() if a.tag == "a"]


BOOTSTRAP_CLASS = re.compile(
    r'class="(?:[^"]*\s)?(btn|btn-[a-z]+|form-control|form-group|form-label|is-invalid|alert)[\s"]'
)


# A form with every kind of field -----------------------------------------------------------------
class EveryField(forms.Form):
    name = forms.CharField(label="Your name", help_text="The name you would like us to use")
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Your age", min_value=16)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    story = forms.CharField(label="Tell us your story", widget=forms.Textarea, max_length=500)
    area = forms.ChoiceField(
        label="Where do you live?", choices=[("", "Choose an area"), ("n", "North"), ("s", "South")]
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    topics = forms.MultipleChoiceField(
        label="What would you like to help with?",
        choices=[("arts", "Arts"), ("health", "Health")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree to the rules")
    born_on = NHSDateField(label="Date of birth", widget=NHSDateInput(attrs={"autocomplete": "bday"}))
    other_date = forms.DateField(label="Another date", required=False)
    photo = forms.FileField(label="Upload a photo", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something went wrong with the whole form")


BAD_DATA = {
    "email": "not-an-email",
    "age": "twelve",
    "story": "",
    "born_on-day": "31",
    "born_on-month": "2",
    "born_on-year": "2026",
}
INVALID_FIELDS = ["name", "email", "age", "password", "story", "area", "contact", "topics", "agree", "born_on"]


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def render_filter(form):
    return render("{% load crispy_forms_tags %}<form>{{ form|crispy }}</form>", form=form)


def render_tag(form):
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Submit

    form.helper = FormHelper()
    form.helper.form_action = "/somewhere/"
    form.helper.add_input(Submit("save", "Save and continue"))
    return render("{% load crispy_forms_tags %}{% crispy form %}", form=form)


RENDERERS = pytest.mark.parametrize("draw", [render_filter, render_tag], ids=["filter", "tag"])


@RENDERERS
def test_the_error_summary_lists_every_mistake_and_each_link_reaches_its_box(draw):
    form = EveryField(data=BAD_DATA)
    assert not form.is_valid()
    page = Page(draw(form))

    summary = page.all("div", "nhsuk-error-summary")[0]
    assert "There is a problem" in summary.text()
    assert any(e.attrs.get("role") == "alert" for e in summary.iter())
    links = page.summary_links()
    messages = [message for field in INVALID_FIELDS for message in form.errors[field]]
    assert [text for _, text in links] == messages
    for href, _ in links:
        target = page.by_id(href.removeprefix("#"))
        assert target.tag == "input" or target.tag in ("select", "textarea"), href
    # The whole-form problem is listed, but has nowhere to link to.
    assert "Something went wrong with the whole form" in summary.text()
    assert "Something went wrong with the whole form" not in [text for _, text in links]
    # Radios link to the first choice; the date to its first wrong box.
    assert ("#id_contact_0", form.errors["contact"][0]) in links
    assert ("#id_born_on-day", "Enter a real date") in links


@RENDERERS
def test_each_wrong_answer_is_marked_next_to_its_box(draw):
    form = EveryField(data=BAD_DATA)
    form.is_valid()
    page = Page(draw(form))
    for name in INVALID_FIELDS:
        error = page.by_id(f"id_{name}-error")
        assert error.classes == ["nhsuk-error-message"]
        assert error.text().startswith("Error:") and form.errors[name][0] in error.text()
        hidden = error.children[0]
        assert hidden.classes == ["nhsuk-u-visually-hidden"] and hidden.text() == "Error:"
        assert "nhsuk-form-group--error" in page.group_of(error).classes
        # Screen readers hear the error with the question: on the box, or on the fieldset.
        described = [
            e for e in page.group_of(error).iter() if f"id_{name}-error" in e.attrs.get("aria-describedby", "").split()
        ]
        assert described, f"nothing points at the {name} error"
    assert "nhsuk-input--error" in page.by_id("id_age").classes
    assert "nhsuk-select--error" in page.by_id("id_area").classes
    assert "nhsuk-textarea--error" in page.by_id("id_story").classes
    # The hint is read out too, before the error.
    assert page.by_id("id_name").attrs["aria-describedby"] == "id_name-hint id_name-error"
    assert page.by_id("id_contact-hint").text() == "Choose one"
    # Fields that are right are not marked.
    assert "nhsuk-form-group--error" not in page.group_of(page.by_id("id_website")).classes


def test_optional_questions_say_so_and_required_ones_do_not():
    page = Page(render_filter(EveryField()))
    labels = {e.attrs.get("for"): e.text() for e in page.all("label")}
    assert labels["id_email"] == "Email address (optional)"
    assert labels["id_website"] == "Website (optional)"
    assert labels["id_photo"] == "Upload a photo (optional)"
    assert labels["id_name"] == "Your name"
    assert labels["id_password"] == "Password"
    assert "(optional)" not in page.all("legend")[0].text()
    assert "(optional)" not in page.html.split("id_secret")[0].split("id_photo")[-1]


def test_choices_and_dates_are_grouped_in_a_fieldset_with_a_legend():
    page = Page(render_filter(EveryField()))
    legends = {}
    for fieldset in page.all("fieldset", "nhsuk-fieldset"):
        legend = next(e for e in fieldset.iter() if e.tag == "legend")
        inputs = [e.attrs.get("name") for e in fieldset.iter() if e.tag == "input"]
        legends[legend.text()] = inputs
    assert legends["How should we contact you?"] == ["contact", "contact"]
    assert legends["What would you like to help with?"] == ["topics", "topics"]
    assert legends["Date of birth"] == ["born_on-day", "born_on-month", "born_on-year"]
    radios = page.by_id("id_contact_0")
    assert radios.attrs["type"] == "radio" and "nhsuk-radios__input" in radios.classes
    assert radios.parent.parent.attrs["data-module"] == "nhsuk-radios"
    # A single checkbox needs no fieldset: its label is the question.
    agree = page.by_id("id_agree")
    assert agree.attrs["type"] == "checkbox" and not any(a.tag == "fieldset" for a in agree.ancestors())


def test_the_date_is_three_labelled_boxes_with_autocomplete():
    page = Page(render_filter(EveryField()))
    for part, label, width, autocomplete in [
        ("day", "Day", 2, "bday-day"),
        ("month", "Month", 2, "bday-month"),
        ("year", "Year", 4, "bday-year"),
    ]:
        box = page.by_id(f"id_born_on-{part}")
        assert box.attrs["name"] == f"born_on-{part}" and box.attrs["inputmode"] == "numeric"
        assert box.classes == ["nhsuk-input", f"nhsuk-input--width-{width}", "nhsuk-date-input__input"]
        assert box.attrs["autocomplete"] == autocomplete
        assert page.all("label")[0] is not None
        assert [e.text() for e in page.all("label") if e.attrs.get("for") == box.attrs["id"]] == [label]
    assert page.by_id("id_born_on").classes == ["nhsuk-date-input"]
    assert page.by_id("id_born_on").parent.attrs["role"] == "group"
    # An ordinary DateField stays one text box.
    assert page.by_id("id_other_date").attrs["type"] == "text"


class DateForm(forms.Form):
    born_on = NHSDateField(label="Date of birth", must_be_in_the_past=True)
    started = NHSDateField(label="Start date", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong_boxes"),
    [
        ("31", "2", "2026", "Enter a real date", {"day", "month", "year"}),
        ("3", "", "1990", "Date of birth must include a month", {"month"}),
        ("", "", "1990", "Date of birth must include a day and month", {"day", "month"}),
        ("", "", "", "Enter date of birth", {"day", "month", "year"}),
        ("3", "13", "1990", "Enter a real date", {"month"}),
        ("x", "3", "1990", "Enter a real date", {"day"}),
        ("3", "3", "90", "Year must include 4 numbers", {"year"}),
        ("3", "3", "2999", "Date of birth must be in the past", {"day", "month", "year"}),
    ],
)
def test_date_mistakes_get_plain_english_messages_and_only_the_wrong_boxes_are_marked(
    day, month, year, message, wrong_boxes
):
    form = DateForm(data={"born_on-day": day, "born_on-month": month, "born_on-year": year})
    assert form.errors["born_on"] == [message]
    page = Page(render_filter(form))
    for part in ("day", "month", "year"):
        box = page.by_id(f"id_born_on-{part}")
        assert ("nhsuk-input--error" in box.classes) == (part in wrong_boxes), part
        assert ("nhsuk-form-group--error" in box.parent.classes) == (part in wrong_boxes), part
    first_wrong = next(part for part in ("day", "month", "year") if part in wrong_boxes)
    assert page.summary_links() == [(f"#id_born_on-{first_wrong}", message)]
    # What was typed stays in the boxes.
    assert page.by_id("id_born_on-year").attrs.get("value", "") == year


@pytest.mark.parametrize("month", ["3", "03", "March", "mar"])
def test_a_real_date_becomes_a_date(month):
    form = DateForm(data={"born_on-day": "27", "born_on-month": month, "born_on-year": "1990"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"born_on": datetime.date(1990, 3, 27), "started": None}


def test_a_saved_date_is_shown_in_the_three_boxes():
    page = Page(render_filter(DateForm(initial={"born_on": datetime.date(1990, 3, 7)})))
    values = [page.by_id(f"id_born_on-{part}").attrs["value"] for part in ("day", "month", "year")]
    assert values == ["7", "3", "1990"]


def test_the_file_upload_uses_the_nhs_file_upload_component():
    form = EveryField()
    page = Page(render_tag(form))
    upload = page.by_id("id_photo")
    assert upload.attrs["type"] == "file" and upload.classes == ["nhsuk-file-upload__input"]
    group = page.group_of(upload)
    assert group.classes == ["nhsuk-form-group", "nhsuk-file-upload"]
    assert group.attrs["data-module"] == "nhsuk-file-upload"
    # The JavaScript takes the first input in the component, so it must be the file input.
    assert next(e for e in group.iter() if e.tag == "input") is upload
    assert page.all("form")[0].attrs["enctype"] == "multipart/form-data"


def test_a_file_already_uploaded_is_shown_with_a_way_to_remove_it():
    class PhotoForm(forms.Form):
        photo = forms.FileField(label="Photo", required=False)

    class Stored:
        url = "/media/photo.jpg"

        def __str__(self):
            return "photo.jpg"

    page = Page(render_filter(PhotoForm(initial={"photo": Stored()})))
    link = next(a for a in page.all("a") if a.attrs.get("href") == "/media/photo.jpg")
    assert link.text() == "photo.jpg"
    clear = page.by_id("photo-clear_id")
    assert clear.attrs["name"] == "photo-clear" and clear.attrs["type"] == "checkbox"
    # An upload still gets its error like any other field.
    bad = PhotoForm(data={}, files={"photo": SimpleUploadedFile("empty.txt", b"")})
    assert not bad.is_valid()
    bad_page = Page(render_filter(bad))
    assert "nhsuk-form-group--error" in bad_page.group_of(bad_page.by_id("id_photo")).classes


def test_inputs_use_nhs_classes_and_the_password_can_be_shown():
    page = Page(render_tag(EveryField()))
    assert page.by_id("id_name").classes == ["nhsuk-input"]
    assert page.by_id("id_email").attrs["type"] == "email" and page.by_id("id_email").attrs["spellcheck"] == "false"
    # Whole numbers: a text box with a number keyboard, as the NHS service manual advises.
    assert page.by_id("id_age").attrs["type"] == "text" and page.by_id("id_age").attrs["inputmode"] == "numeric"
    password = page.by_id("id_password")
    assert password.attrs["type"] == "password" and "nhsuk-password-input__input" in password.classes
    assert page.group_of(password).attrs["data-module"] == "nhsuk-password-input"
    story = page.by_id("id_story")
    assert story.tag == "textarea" and story.attrs["aria-describedby"] == "id_story-info"
    assert page.by_id("id_story-info").text() == "You can enter up to 500 characters"
    assert page.by_id("id_area").classes == ["nhsuk-select"]
    assert page.by_id("id_secret").attrs["type"] == "hidden"
    button = next(b for b in page.all("button") if b.attrs.get("type") == "submit")
    assert button.classes == ["nhsuk-button"] and button.attrs["data-module"] == "nhsuk-button"
    assert button.text() == "Save and continue"
    assert page.all("form")[0].attrs.get("novalidate") == ""
    assert not BOOTSTRAP_CLASS.search(page.html)


def test_the_error_summary_tag_works_outside_crispy_and_shows_once_per_form():
    form = DateForm(data={"born_on-day": "1"})
    html = render(
        "{% load nhsuk crispy_forms_tags %}{% nhsuk_error_summary form %}<h1>Title</h1>{{ form|crispy }}", form=form
    )
    assert html.count("nhsuk-error-summary__list") == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")
    assert render("{% load nhsuk %}{% nhsuk_error_summary form %}", form=DateForm()) == ""
    other = DateForm(data={}, prefix="other")
    both = Page(render("{% load nhsuk %}{% nhsuk_error_summary form other %}", form=DateForm(data={}), other=other))
    assert [href for href, _ in both.summary_links()] == ["#id_born_on-day", "#id_other-born_on-day"]


def test_a_formset_lists_each_mistake_once():
    date_forms = forms.formset_factory(DateForm, extra=2)
    formset = date_forms(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-born_on-day": "1",
            "form-1-started-year": "2020",
        }
    )
    assert not formset.is_valid()
    page = Page(render("{% load crispy_forms_tags %}{{ formset|crispy }}", formset=formset))
    assert page.summary_links() == [
        ("#id_form-0-born_on-month", "Date of birth must include a month and year"),
        ("#id_form-1-born_on-day", "Enter date of birth"),
        ("#id_form-1-started-day", "Start date must include a day and month"),
    ]
    assert page.by_id("id_form-TOTAL_FORMS").attrs["type"] == "hidden"


def test_one_field_can_be_drawn_with_plain_english_wording():
    form = EveryField(data={})
    page = Page(render('{% load nhsuk %}{% nhsuk_field form.name label="What is your name?" hint="" %}', form=form))
    assert [e.text() for e in page.all("label")] == ["What is your name?"]
    assert page.all("div", "nhsuk-hint") == []
    assert page.by_id("id_name").attrs["aria-describedby"] == "id_name-error"


# allauth pages -----------------------------------------------------------------------------------
def assert_nhs_page(html):
    assert 'class="nhsuk-header' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "bootstrap" not in html.lower()
    assert not BOOTSTRAP_CLASS.search(html)


@pytest.mark.django_db
def test_the_sign_in_page_is_an_nhs_page_in_plain_english(client):
    html = client.get(reverse("account_login")).content.decode()
    assert_nhs_page(html)
    page = Page(html)
    assert page.all("h1")[0].text() == "Sign in"
    labels = [e.text() for e in page.all("label")]
    assert labels[:2] == ["Email address", "Password"]
    assert "Forgotten your password?" in html and "Log in" not in html and "Sign In" not in html
    assert page.by_id("id_login").attrs["autocomplete"] == "email"


@pytest.mark.django_db
def test_a_failed_sign_in_shows_the_error_summary(client):
    response = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"})
    html = response.content.decode()
    assert_nhs_page(html)
    summary = Page(html).all("div", "nhsuk-error-summary")[0]
    assert "There is a problem" in summary.text() and "password is not right" in summary.text()
    assert "<title>Error:" in html.replace("\n", "")


@pytest.mark.django_db
def test_the_register_page_asks_for_name_email_and_password(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert_nhs_page(html)
    page = Page(html)
    assert page.all("h1")[0].text() == "Register"
    labels = [e.text() for e in page.all("label")]
    assert labels == ["Your name", "Email address", "Create a password", "Type the password again"]
    assert page.all("button", "nhsuk-button")[-1].text() == "Register"


@pytest.mark.django_db
def test_registering_with_mistakes_links_each_error_to_its_box(client):
    response = client.post(
        reverse("account_signup"), {"name": "", "email": "not-an-email", "password1": "short", "password2": "other"}
    )
    page = Page(response.content.decode())
    links = page.summary_links()
    assert {href for href, _ in links} >= {"#id_name", "#id_email", "#id_password1"}
    for href, _ in links:
        box = page.by_id(href.removeprefix("#"))
        assert "nhsuk-form-group--error" in page.group_of(box).classes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["account_reset_password", "account_reset_password_done", "account_email_verification_sent"]
)
def test_signed_out_account_pages_are_nhs_pages(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_nhs_page(response.content.decode())


def sign_in(client, user):
    """Sign in for real, and confirm the password again: some pages (adding an app) ask for that."""
    password = "a-long-test-password-1"
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.post(reverse("account_reauthenticate"), {"password": password})
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "account_email",
        "account_change_password",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
    ],
)
def test_signed_in_account_pages_are_nhs_pages(client, member, url_name):
    response = sign_in(client, member).get(reverse(url_name))
    assert response.status_code == 200
    assert_nhs_page(response.content.decode())


@pytest.mark.django_db
def test_setting_up_the_authenticator_app_shows_the_qr_code_and_the_key(client, member):
    page = Page(sign_in(client, member).get(reverse("mfa_activate_totp")).content.decode())
    qr = page.all("img")[-1]
    assert qr.attrs["src"].startswith("data:image/svg+xml") and "QR code" in qr.attrs["alt"]
    secret = page.by_id("authenticator_secret")
    assert len(secret.attrs["value"]) >= 16 and "readonly" in secret.attrs
    assert [e.text() for e in page.all("label") if e.attrs.get("for") == "id_code"] == ["Authenticator code"]


@pytest.mark.django_db
def test_staff_are_asked_for_their_code_in_plain_english(client, staff):
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "a-long-test-password-1"})
    html = client.get(response.url).content.decode()
    assert_nhs_page(html)
    page = Page(html)
    assert [e.text() for e in page.all("label") if e.attrs.get("for") == "id_code"] == ["Code"]
    wrong = Page(client.post(response.url, {"code": "000000"}).content.decode())
    assert [href for href, _ in wrong.summary_links()] == ["#id_code"]


@pytest.mark.django_db
def test_the_password_reset_email_is_short_plain_and_signed(client, member, sent_emails):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert len(sent_emails) == 1
    body = sent_emails[0].body
    assert "/accounts/password/reset/key/" in body
    assert body.rstrip().endswith("The Co-production Portal team")
    assert "Reset your password" in sent_emails[0].subject


@pytest.mark.django_db
def test_the_registration_email_has_the_confirmation_link(client, sent_emails):
    client.post(
        reverse("account_signup"),
        {
            "name": "Zoë",
            "email": "zoe@example.org",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    body = sent_emails[0].body
    assert "/accounts/confirm-email/" in body and "The Co-production Portal team" in body
    assert "Thank you for registering" in body


# In a browser, with axe-core -----------------------------------------------------------------
def in_own_thread(function):
    """Playwright's sync API will not start inside another test's running browser loop; a thread has none."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


DEMO_PAGE = """{% extends "base.html" %}{% load crispy_forms_tags %}
{% block title %}Every field{% endblock %}
{% block content %}<h1 class="nhsuk-heading-l">Every field</h1>{% crispy form %}{% endblock %}"""


@csrf_exempt
def every_field_page(request):
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Submit

    form = EveryField(request.POST or None, request.FILES or None)
    if request.method == "POST":
        form.is_valid()
    form.helper = FormHelper()
    form.helper.add_input(Submit("save", "Save and continue"))
    return HttpResponse(engines["django"].from_string(DEMO_PAGE).render({"form": form}, request))


every_field_page.login_required = False
urlpatterns = [path("nhsuk-every-field/", every_field_page), path("", include("coproduction.urls"))]


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_the_pack_and_sign_in_pages_have_no_axe_violations(live_server, settings):
    settings.ROOT_URLCONF = __name__
    in_own_thread(lambda: _check_the_pack_pages(live_server.url))


def _check_the_pack_pages(base_url):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        try:
            checked = []
            for url in ["/nhsuk-every-field/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
                page.goto(base_url + url)
                checked.append(Axe().run(page))
                if page.locator("form button[type=submit]").count():
                    page.locator("main form button[type=submit]").first.click()  # send it empty: errors
                    page.wait_for_load_state()
                    assert page.locator(".nhsuk-error-summary").count() == 1, url
                    checked.append(Axe().run(page))
            # The error summary link moves focus to the box to fix.
            page.goto(base_url + "/nhsuk-every-field/")
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            page.locator(".nhsuk-error-summary a[href='#id_born_on-day']").click()
            assert page.evaluate("document.activeElement.id") == "id_born_on-day"
            for result in checked:
                assert result.violations_count == 0, result.generate_report()
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_the_account_and_two_step_pages_have_no_axe_violations(live_server):
    from tests.conftest import make_person

    member = make_person("Alice Member", "alice@example.org", "Member")
    staff = make_person("Charlie Staff", "charlie@example.org", "Staff")
    in_own_thread(lambda: _check_the_account_pages(live_server.url, member.email, staff.email))


def _check_the_account_pages(base_url, member_email, staff_email):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        try:
            reports = []

            def check(page):
                result = Axe().run(page)
                reports.append((page.url, result))
                assert page.locator("h1").count() == 1, page.url

            def sign_in(page, email):
                page.goto(base_url + "/accounts/login/")
                page.get_by_label("Email address", exact=True).fill(email)
                page.get_by_label("Password", exact=True).fill("a-long-test-password-1")
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state()

            page = browser.new_page()
            sign_in(page, member_email)
            for url in [
                "/accounts/reauthenticate/",
                "/accounts/email/",
                "/accounts/password/change/",
                "/accounts/2fa/",
            ]:
                page.goto(base_url + url)
                check(page)
            page.goto(base_url + "/accounts/2fa/totp/activate/")
            if "reauthenticate" in page.url:
                check(page)
                page.get_by_label("Password", exact=True).fill("a-long-test-password-1")
                page.get_by_role("button", name="Continue").click()
                page.wait_for_load_state()
            assert "/totp/activate/" in page.url
            check(page)
            page.get_by_role("button", name="Activate").click()  # no code: the error summary
            page.wait_for_load_state()
            assert page.locator(".nhsuk-error-summary").count() == 1
            check(page)
            page.goto(base_url + "/accounts/logout/")
            check(page)
            page.close()

            page = browser.new_page()
            sign_in(page, staff_email)
            assert "/2fa/authenticate/" in page.url
            check(page)
            page.get_by_label("Code", exact=True).fill("000000")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert page.locator(".nhsuk-error-summary").count() == 1
            check(page)
            page.close()
            for url, result in reports:
                assert result.violations_count == 0, f"{url}\n{result.generate_report()}"
        finally:
            browser.close()
