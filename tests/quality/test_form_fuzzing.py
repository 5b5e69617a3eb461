"""Every form the portal shows, fed generated and hostile input.

Forms are found automatically (tests/quality/form_discovery.py). Each gets at least 200 generated
submissions (hypothesis, derandomised so CI is reproducible) and a fixed list of hostile ones: 10,000
characters, NUL bytes, right-to-left and zero-width characters, emoji, combining marks, wrong types,
missing and repeated fields, and files whose content is not what their name says. Whatever comes in,
the answer is a page with the NHS.UK error summary or a success (a redirect, or a page without
errors) and never a server error; and a page that shows errors has written no row anywhere.

Each submission runs in a savepoint that is rolled back, so examples do not pile up data.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from coproduction.models import AuditEntry
from people.models import PopulationFigure
from tests.authorisation.matrix import TOPICS, all_rows
from tests.quality.form_discovery import (
    PDF,
    PNG,
    built_site,
    describe,
    plausible_submission,
    plausible_value,
    project_form_classes,
    submit,
    undone,
)

EXAMPLES_PER_FORM = 200

# Pinned from a run: fewer means discovery has stopped finding forms (a page stopped rendering, or
# the parser broke). Raise it when forms are added.
FORMS_FLOOR = 82

# Form classes no page shows for GET, and why they are still covered.
NOT_ON_A_PAGE: dict[str, str] = {}

HYPOTHESIS = hypothesis_settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    # Shrinking re-sends hundreds of requests; the failure message names the form and the input.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Session rows change on every signed-in request (messages live there): not the form's writing.
NOT_COUNTED = {"django_session"}
# A failed sign-in is audited on purpose (coproduction/signals.py): count every other entry.
COUNTED_WHERE = {AuditEntry._meta.db_table: "action <> 'signin.failed'"}


def extra_world(world):
    """Population figures for two areas, so the reach report shows its "compare with" form."""
    for area in ("Northbrook", "Southmere"):
        PopulationFigure.objects.create(
            characteristic="age_band",
            category="25_34",
            share=12,
            area_name=area,
            source="Invented census",
            as_of=datetime.date(2021, 3, 21),
        )
    return {}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_site(django_db_blocker, tmp_path_factory.mktemp("media"), extra_world) as site:
        yield site


# Strategies -----------------------------------------------------------------------------------------

ODD = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f",
    "\u200b",
    "\ufeff",
    "👩🏽‍⚕️",
    "🏳️‍🌈",
    "e\u0301\u0301\u0301",
    "𝕬𝖑𝖎𝖈𝖊",
    "ß",
    "İ",
    "ǅ",
    "٣",
    "１２",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n",
    "{0}{{",
    "../../etc/passwd",
    "null",
    "None",
    "undefined",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "9" * 40,
    "0x1F",
    "true",
    "[]",
    "{}",
    "   ",
]
INVALID_CHOICES = ["", "not-a-choice", "0", "-1", "999999", "1.5", "00000000-0000-4000-8000-000000000000", "None"]
MONTH_WORDS = ["March", "mar", "Sept", "sept.", "Smarch", "13", "00"]

# Sampling from fixed lists is cheap; a little free text keeps the search wide.
ODD_POOL = [
    *ODD,
    *("".join(pair) for pair in zip(ODD, reversed(ODD), strict=True)),
    # Just under, at and over the lengths forms allow.
    *("é" * n for n in (29, 30, 31, 100, 101, 200, 201, 300, 301, 2000, 2001, 4001, 5001)),
]
NUMBER_POOL = [
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "4.50",
    "4.505",
    "1,000",
    "1_000",
    "1e3",
    "1e309",
    "-1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "9" * 19,
    "9" * 40,
    "-" + "9" * 40,
    "0.0000001",
    "١٢",
    "²",
    "Ⅻ",
    "  7  ",
]
odd_text = st.one_of(st.sampled_from(ODD_POOL), st.text(max_size=20))
number_text = st.one_of(st.sampled_from(NUMBER_POOL), st.integers(-(10**12), 10**12).map(str))
plain_words = st.sampled_from(["Some words", "x", "Invented words for a test", "Northbrook", "A" * 12])


def uploads():
    names = st.sampled_from(
        ["receipt.png", "certificate.pdf", "photo.jpg", "figures.csv", "notes.txt", "setup.exe", "noextension", "a.PNG"]
    )
    bodies = st.one_of(
        st.binary(max_size=2000),
        st.just(b""),
        st.binary(max_size=500).map(lambda b: PDF + b),
        st.binary(max_size=500).map(lambda b: PNG + b),
        st.binary(max_size=500).map(lambda b: b"\xff\xd8\xff" + b),
        st.binary(max_size=500).map(lambda b: b"MZ\x90\x00" + b),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=300).map(lambda t: f"email,course,completed\n{t}".encode("utf-8", "surrogatepass")),
    )
    return st.tuples(names, bodies)


def value_strategy(control, today):
    """Values a person (or an attacker) might put in this control."""
    if control.kind == "file":
        return st.one_of(uploads(), odd_text)
    if control.is_date_part:
        part = control.name.rsplit("-", 1)[1]
        sensible = {
            "day": st.integers(1, 31),
            "month": st.integers(1, 12),
            "year": st.integers(today.year - 2, today.year + 2),
        }[part].map(str)
        wild = st.integers(-5, 100_000).map(str)
        words = st.sampled_from(MONTH_WORDS) if part == "month" else odd_text
        return st.one_of(sensible, sensible, wild, words, odd_text)
    if control.kind in ("radio", "select", "submit", "checkbox") and control.options:
        return st.one_of(st.sampled_from(control.options), st.sampled_from(INVALID_CHOICES), odd_text)
    if control.kind == "email" or "email" in control.name:
        known = st.sampled_from(["alice@example.org", "bob@example.org", "new.person@example.org"])
        return st.one_of(st.emails().filter(lambda e: len(e) < 250), known, odd_text)
    return st.one_of(plain_words, number_text, odd_text)


def control_strategy(control, today):
    """A list of values for one control (several = repeated field), or None to leave it out."""
    values = value_strategy(control, today)
    if control.kind == "checkbox" and control.multiple:
        chosen = st.lists(st.sampled_from(control.options), unique=True)
        mixed = st.lists(values, max_size=len(control.options) + 2)
        return st.one_of(chosen, chosen, mixed, st.none())
    sensible = st.just([plausible_value(control, day=today, email="bob@example.org")])
    return st.one_of(
        sensible,
        values.map(lambda value: [value]),
        values.map(lambda value: [value]),
        st.lists(values, min_size=2, max_size=3),
        st.just(list(control.initial)),
        st.none(),
    )


def submissions(form, today):
    controls = {name: control_strategy(control, today) for name, control in form.controls.items()}
    strangers = st.dictionaries(st.text(min_size=1, max_size=20), odd_text.map(lambda v: [v]), max_size=2)
    return st.tuples(st.fixed_dictionaries(controls), strangers).map(
        lambda pair: {**pair[1], **{name: values for name, values in pair[0].items() if values is not None}}
    )


# Hostile inputs, always sent ------------------------------------------------------------------------

LONG = "A" * 10_000
LONG_ODD = ("é👩🏽‍⚕️\u202e\u200be\u0301\x00" * 1500)[:10_000]
HOSTILE_VALUES = [
    LONG,
    LONG_ODD,
    "before\x00after",
    "\u202eevil\u202c\u200b\u200f",
    "👩🏽‍⚕️🏳️‍🌈e\u0301\u0301\u0301",
    "9" * 40,
    '{"status": "approved"}',
    "1e309",
    " ",
]
WRONG_FILES = [
    ("receipt.png", PDF),
    ("receipt.png", b"just some text, not a picture"),
    ("certificate.pdf", b"MZ\x90\x00\x03\x00\x00\x00 pretend program"),
    ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00 pretend program"),
    ("receipt.png", b""),
    ("photo.jpg", b"<html><script>alert(1)</script></html>"),
    ("figures.csv", PNG),
    ("figures.csv", "characteristic,category,share\nâge,café,1\n".encode("latin-1")),
    ("figures.csv", b"email,course,completed\n\x00\x00\x00"),
    ("figures.csv", ("email,course,completed\n" + "é" * 100).encode("utf-16")),
    ("receipt.png", PNG + bytes(11 * 1024 * 1024)),  # over every upload limit
]


def hostile_submissions(form, today):
    """The fixed list: each hostile value in every box at once, and in each box alone; nothing at
    all; everything twice; files where text goes and text where files go; files that lie."""
    base = plausible_submission(form, day=today, email="bob@example.org")
    names = list(form.controls)
    yield {}
    yield {name: [*values, *values, "second"] for name, values in base.items()}
    yield {name: [("wrong-type.txt", b"a file where text goes")] for name in names}
    for value in HOSTILE_VALUES:
        yield {name: [value] for name in names}
    for name in names:
        yield {**base, name: [LONG_ODD]}
    for name, control in form.controls.items():
        if control.kind == "file":
            for upload in WRONG_FILES:
                yield {**base, name: [upload]}
    # Fields the form does not have, some with names the portal uses elsewhere.
    yield {**base, "status": ["approved"], "is_staff": ["true"], "__proto__": ["x"], "csrfmiddlewaretoken": [LONG]}


# Sending and judging ---------------------------------------------------------------------------------


def counted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables - NOT_COUNTED)


def row_counts(tables) -> dict[str, int]:
    """Every table's row count, in one query (the test world is small)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = [
            f"(SELECT COUNT(*) FROM {quote(table)}"
            + (f" WHERE {COUNTED_WHERE[table]})" if table in COUNTED_WHERE else ")")
            for table in tables
        ]
        cursor.execute("SELECT " + ", ".join(counts))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def judge(form, data, response, before, tables) -> str:
    """'errors' or 'success'; anything else fails with the form and the input that caused it."""
    where = f"{form.key}\n  sent {describe(data)}\n "
    status = response.status_code
    assert status < 500, f"{where} server error {status}"
    if status in (301, 302, 303):
        return "success"
    assert status == 200, f"{where} answered {status}: neither a page of errors nor a success"
    if response.streaming:
        return "success"
    html = response.content.decode()
    if "nhsuk-error-summary" not in html:
        assert "nhsuk-form-group--error" not in html, f"{where} marked a field as wrong without an error summary"
        return "success"
    after = row_counts(tables)
    written = {table: after[table] - before[table] for table in tables if after[table] != before[table]}
    assert not written, f"{where} showed errors but wrote rows: {written}"
    return "errors"


def attempt(client, form, data, before, tables) -> str:
    """Sends one submission in a savepoint that is always rolled back."""
    with undone(client):
        try:
            response = submit(client, form, data)
        except Exception as error:  # noqa: BLE001 - the test client re-raises what would be a 500
            raise AssertionError(f"{form.key}\n  sent {describe(data)}\n  server error: {error!r}") from error
        return judge(form, data, response, before, tables)


def fuzz(site, form, tables) -> dict[str, int]:
    client = site.clients[form.persona]
    today = datetime.date.today()
    before = row_counts(tables)
    outcomes = {"errors": 0, "success": 0, "generated": 0}

    @HYPOTHESIS
    @given(data=submissions(form, today))
    def generated(data):
        outcomes["generated"] += 1
        outcomes[attempt(client, form, data, before, tables)] += 1

    generated()
    for data in hostile_submissions(form, today):
        outcomes[attempt(client, form, data, before, tables)] += 1
    return outcomes


# Tests -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_finds_every_form_page(site):
    assert len(site.forms) >= FORMS_FLOOR, (
        f"Found {len(site.forms)} forms, fewer than the {FORMS_FLOOR} pinned: {sorted(f.key for f in site.forms)}"
    )
    assert {form.topic for form in site.forms} == {*TOPICS, "accounts"}
    posted_to = {form.action_name for form in site.forms if form.method == "post"}
    assert {"account_signup", "account_login", "account_reset_password"} <= posted_to
    post_only = {row.url_name for row in all_rows() if row.get is None}
    assert post_only <= posted_to, f"POST-only URLs with no form: {sorted(post_only - posted_to)}"


@pytest.mark.django_db
def test_every_form_class_in_the_portal_is_on_a_fuzzed_page(site):
    """A new form cannot escape fuzzing: its page must be in the matrix, or it is listed here."""
    shown = set().union(*(form.form_classes for form in site.forms))
    missing = sorted(
        f"{cls.__module__}.{cls.__name__}"
        for cls in project_form_classes()
        if cls not in shown and cls.__name__ not in NOT_ON_A_PAGE
    )
    assert not missing, f"Form classes no discovered page uses (add the page to the matrix, or say why): {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("topic", [*TOPICS, "accounts"])
def test_forms_answer_generated_and_hostile_input_with_errors_or_success(site, topic):
    tables = counted_tables()
    forms = [form for form in site.forms if form.topic == topic]
    assert forms, f"no forms found for {topic}"
    problems = []
    for form in forms:
        try:
            outcomes = fuzz(site, form, tables)
        except AssertionError as failure:
            problems.append(str(failure))
            continue
        if outcomes["generated"] < EXAMPLES_PER_FORM:
            problems.append(f"{form.key}: only {outcomes['generated']} generated inputs")
    assert not problems, f"{len(problems)} of {len(forms)} forms failed:\n\n" + "\n\n".join(problems)
