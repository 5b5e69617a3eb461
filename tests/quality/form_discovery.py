"""Every form in the portal, found by walking the authorisation matrix (tests/authorisation/).

The world the matrix uses is built once; each URL with a GET row is fetched as a persona the matrix
lets in, and every `<form>` on the page is read from the HTML: its method, action and controls
(inputs, selects, textareas, named buttons), with what a browser would send if nobody typed
anything. allauth's sign-up, sign-in and password-reset pages are added, and each POST-only URL in
the matrix that no page links to gets a form with no fields. The same form seen on several pages is
kept once.

The fuzzing and mass-assignment tests (tests/quality/test_form_fuzzing.py, test_mass_assignment.py)
use `built_site()` from a module-scoped fixture, so the world is built once per module, inside a
transaction rolled back at the end.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlencode, urljoin, urlsplit

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.forms import BaseForm
from django.template import Template
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse

from tests.authorisation.matrix import OK, REDIRECT, build_world, topic_modules
from tests.conftest import PERSONA_DETAILS, make_person

PROJECT_APPS = ("coproduction", "programmes", "people", "recognition", "reporting")

# Whose eyes a page is seen through, when the matrix lets several in: the person the page is for
# comes before people who pass by their role alone.
PREFERENCE = ["member", "staff", "leader", "finance", "other_member", "other_staff", "administrator", "visitor"]

# allauth's own pages, which the matrix leaves to allauth's tests: the forms a visitor fills in.
ACCOUNT_PAGES = ["account_signup", "account_login", "account_reset_password"]

# Forms found on pages but not fuzzed, and why.
NOT_FUZZED = {
    "account_logout": "the header's sign-out button: it has no fields, and posting it signs the fuzzer out",
}

TEXT_KINDS = {"text", "textarea", "email", "password", "url", "tel", "search", "number", "hidden", "date", "time"}


@dataclass
class Control:
    """One name in a form: several radios or checkboxes with one name are one control."""

    name: str
    kind: str  # an input type ("text", "radio", "checkbox", "file", ...), "select", "textarea" or "submit"
    options: list[str] = field(default_factory=list)
    initial: list[str] = field(default_factory=list)
    multiple: bool = False
    disabled: bool = False

    @property
    def is_date_part(self) -> bool:
        return self.name.endswith(("-day", "-month", "-year"))


@dataclass
class FoundForm:
    topic: str
    page: str  # URL name of the page the form was found on
    persona: str  # who saw it, and who submits it
    method: str  # "get" or "post"
    action: str  # path (and query) it is sent to
    action_name: str
    multipart: bool
    controls: dict[str, Control]
    form_classes: set = field(default_factory=set)  # the project's form classes the page built

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.action_name} ({self.action}) as {self.persona}, from {self.page}"

    def baseline(self) -> dict[str, list[str]]:
        """What a browser sends when the person changes nothing and presses the (first) button."""
        data = {}
        pressed = False
        for control in self.controls.values():
            if control.disabled or control.kind == "file":
                continue
            if control.kind == "submit":
                if not pressed:
                    data[control.name] = control.options[:1]
                    pressed = True
            elif control.initial or control.kind in TEXT_KINDS:
                data[control.name] = list(control.initial) or [""]
        return {name: values for name, values in data.items() if values}


class _FormParser(HTMLParser):
    """Collects each <form>'s attributes and controls, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "controls": []}
        elif self._form is None:
            return
        elif tag in ("input", "button"):
            self._form["controls"].append((tag, attrs, None))
        elif tag == "select":
            self._select = {"attrs": attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"attrs": attrs, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"attrs": attrs, "text": ""}

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            self._form["controls"].append(("select", self._select["attrs"], self._select["options"]))
            self._select = self._option = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that may follow <textarea>.
            text = self._textarea["text"].removeprefix("\r").removeprefix("\n")
            self._form["controls"].append(("textarea", self._textarea["attrs"], text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data


def _controls(raw_controls) -> dict[str, Control]:
    controls: dict[str, Control] = {}

    def control(name, kind, attrs):
        found = controls.setdefault(name, Control(name=name, kind=kind))
        found.disabled = found.disabled or "disabled" in attrs
        return found

    for tag, attrs, extra in raw_controls:
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if tag == "select":
            found = control(name, "select", attrs)
            found.multiple = "multiple" in attrs
            values = [(o["attrs"].get("value", o["text"].strip()), "selected" in o["attrs"]) for o in extra]
            found.options = [value for value, _selected in values]
            found.initial = [value for value, selected in values if selected]
            if not found.initial and values and not found.multiple:
                found.initial = [values[0][0]]  # a browser sends the first option
        elif tag == "textarea":
            control(name, "textarea", attrs).initial = [extra]
        elif tag == "button" or attrs.get("type") in ("submit", "image"):
            if tag == "button" and attrs.get("type") not in (None, "submit"):
                continue
            control(name, "submit", attrs).options.append(attrs.get("value") or "")
        else:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("reset", "button"):
                continue
            found = control(name, kind, attrs)
            if kind in ("radio", "checkbox"):
                value = attrs.get("value", "on")
                found.options.append(value)
                if "checked" in attrs:
                    found.initial.append(value)
                found.multiple = kind == "checkbox" and len(found.options) > 1
            elif kind != "file":
                found.initial = [attrs.get("value") or ""]
    return controls


def parse_forms(html: str, page_path: str) -> list[dict]:
    """Each form on the page: method, action (an absolute path), multipart or not, and controls."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    forms = []
    for raw in parser.forms:
        attrs = raw["attrs"]
        action = urljoin(page_path, attrs.get("action") or page_path)
        parts = urlsplit(action)
        forms.append(
            {
                "method": (attrs.get("method") or "get").lower(),
                "action": parts.path + (f"?{parts.query}" if parts.query else ""),
                "path": parts.path,
                "multipart": (attrs.get("enctype") or "").lower() == "multipart/form-data",
                "controls": _controls(raw["controls"]),
            }
        )
    return forms


def project_form_classes() -> set[type]:
    """Every Form and ModelForm class written in the portal's apps."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found, todo = set(), [BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.add(subclass)
    return found


@contextmanager
def recording_form_classes():
    """The set of form classes (and their bases) built while the block runs."""
    built: set[type] = set()
    original = BaseForm.__init__

    def init(self, *args, **kwargs):
        built.update(type(self).__mro__)
        original(self, *args, **kwargs)

    BaseForm.__init__ = init
    try:
        yield built
    finally:
        BaseForm.__init__ = original


def _first_allowed(outcomes: dict, allowed=(OK,)) -> str | None:
    return next((persona for persona in PREFERENCE if outcomes.get(persona) in allowed), None)


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "(no such URL)"


def discover(world, clients) -> list[FoundForm]:
    """Every distinct form on every page the matrix lists, plus allauth's and POST-only ones."""
    pages = []
    for module in topic_modules():
        topic = module.__name__.rsplit(".", 1)[-1]
        for row in module.ROWS:
            persona = _first_allowed(row.get) if row.get else None
            if persona:
                pages.append((topic, row.url_name, reverse(row.url_name, args=row.args(world)), persona))
    pages += [("accounts", name, reverse(name), "visitor") for name in ACCOUNT_PAGES]

    found: dict[tuple, FoundForm] = {}
    for topic, url_name, url, persona in pages:
        with recording_form_classes() as built:
            response = clients[persona].get(url)
        assert response.status_code == 200, f"{url_name} as {persona}: expected 200, got {response.status_code}"
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for raw in parse_forms(response.content.decode(), url):
            action_name = _view_name(raw["path"])
            if action_name in NOT_FUZZED:
                continue
            identity = (raw["method"], raw["action"], tuple(sorted(raw["controls"])))
            if identity in found:
                found[identity].form_classes |= built
            else:
                found[identity] = FoundForm(
                    topic=topic,
                    page=url_name,
                    persona=persona,
                    method=raw["method"],
                    action=raw["action"],
                    action_name=action_name,
                    multipart=raw["multipart"],
                    controls=raw["controls"],
                    form_classes=built,
                )

    # POST-only URLs no page links to (or not for the world's objects): a bare button.
    posted_to = {form.action_name for form in found.values() if form.method == "post"}
    for module in topic_modules():
        topic = module.__name__.rsplit(".", 1)[-1]
        for row in module.ROWS:
            if row.get is not None or row.url_name in posted_to:
                continue
            persona = _first_allowed(row.post, allowed=(REDIRECT, OK))
            url = reverse(row.url_name, args=row.args(world))
            with transaction.atomic(), recording_form_classes() as built:
                clients[persona].post(url, {})
                transaction.set_rollback(True)
            found[("post", url, ())] = FoundForm(
                topic=topic,
                page=row.url_name,
                persona=persona,
                method="post",
                action=url,
                action_name=row.url_name,
                multipart=False,
                controls={},
                form_classes=built,
            )
    return list(found.values())


@dataclass
class Site:
    world: dict
    clients: dict[str, Client]
    forms: list[FoundForm]


def _render_without_recording(self, context):
    return self.nodelist.render(context)


def make_people() -> dict:
    return {name: make_person(*details) for name, details in PERSONA_DETAILS.items()}


@contextmanager
def built_site(django_db_blocker, media_root, extra_world=None):
    """The matrix's world, signed-in clients for every persona, and every form found.

    Everything happens in one transaction that is rolled back at the end. `extra_world(world)` may
    add objects before the pages are read. Uploads go to `media_root`.
    """
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hashing, MEDIA_ROOT=media_root),
        # The test runner copies every template context for assertTemplateUsed; nothing here asks,
        # and the copying doubles the time of each of the many thousand requests.
        mock.patch.object(Template, "_render", _render_without_recording),
        transaction.atomic(),
    ):
        world = build_world(make_people())
        if extra_world:
            world.update(extra_world(world))
        clients = {"visitor": Client()}
        for name, user in world["people"].items():
            clients[name] = Client()
            clients[name].force_login(user)
        yield Site(world=world, clients=clients, forms=discover(world, clients))
        transaction.set_rollback(True)


# What a person might type --------------------------------------------------------------------------
# Used to fill a form's empty boxes with answers that could well be accepted, so the fuzzer and the
# mass-assignment test reach the code behind a valid form, not only its error messages.

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
PDF = b"%PDF-1.4\n% invented test file\n%%EOF\n"

TYPED = {
    "hours": "2",
    "minutes": "0",
    "places": "5",
    "amount": "4.50",
    "miles": "12",
    "valid_for_months": "12",
    "start_time": "10:00",
    "end_time": "11:30",
    "phone": "07700 900982",
    "postcode_district": "LS1",
    "code": "FUZZ-1",
    "web_address": "https://example.org/learn",
    "joining_link": "https://example.org/join",
}


def plausible_file(control: Control) -> tuple[str, bytes]:
    """A file of the kind the box asks for: a CSV for imports, otherwise a small PNG."""
    if control.name == "file":
        return "figures.csv", b"email,course,completed\n"
    return "receipt.png", PNG


def plausible_value(control: Control, *, day, email: str):
    """One answer a person might give in `control`; dates come from `day`."""
    name = control.name
    if control.is_date_part:
        part = name.rsplit("-", 1)[1]
        return str(getattr(day, part))
    if control.kind == "file":
        return plausible_file(control)
    if control.kind in ("radio", "select", "submit", "checkbox"):
        options = [option for option in control.options if option] or control.options
        return options[0] if options else ""
    if control.kind == "email" or "email" in name:
        return email
    if control.kind == "password" or name.startswith("password"):
        return "an invented passphrase 2931"
    if control.kind == "url":
        return "https://example.org/page"
    return TYPED.get(name, "Invented words for a test")


def plausible_submission(form: FoundForm, *, day, email: str) -> dict[str, list]:
    """What the page shows, with every empty box answered plausibly (files as (name, bytes))."""
    data = form.baseline()
    for control in form.controls.values():
        if control.disabled or control.kind == "submit" or (data.get(control.name) and data[control.name] != [""]):
            continue
        data[control.name] = [plausible_value(control, day=day, email=email)]
    return data


# Sending ----------------------------------------------------------------------------------------------


def as_request_data(data) -> tuple[dict, bool]:
    """Uploads given as (name, bytes) become fresh files; everything else is sent as given."""
    has_files = False
    encoded = {}
    for name, values in data.items():
        encoded[name] = []
        for value in values:
            if isinstance(value, tuple):
                has_files = True
                value = SimpleUploadedFile(value[0], value[1])
            encoded[name].append(value)
    return encoded, has_files


def submit(client, form: FoundForm, data: dict[str, list]):
    """Sends `data` as a browser would send the form: a query string, a urlencoded body, or a
    multipart body when the form (or the data) has files."""
    encoded, has_files = as_request_data(data)
    if form.method == "get":
        return client.get(form.action, {name: [v for v in vs if isinstance(v, str)] for name, vs in encoded.items()})
    if has_files or form.multipart:
        return client.post(form.action, encoded)
    return client.post(form.action, urlencode(encoded, doseq=True), content_type="application/x-www-form-urlencoded")


@contextmanager
def undone(client):
    """Runs the block in a savepoint that is always rolled back, and gives the client its cookies
    back, so a sign-in or sign-out during the block is undone with everything else."""
    cache.clear()  # sign-in and password-reset rate limits count every attempt
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def describe(data) -> str:
    """A submission, short enough for a failure message."""

    def short(value):
        if isinstance(value, tuple):
            value = f"file {value[0]!r} ({len(value[1])} bytes: {value[1][:12]!r})"
        text = repr(value)
        return text if len(text) <= 60 else f"{text[:45]}… ({len(value)} long)"

    return "{" + ", ".join(f"{name!r}: [{', '.join(short(v) for v in values)}]" for name, values in data.items()) + "}"
