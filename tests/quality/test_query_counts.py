"""Every page's database queries: pinned, and the same with 1 row as with 50 (issue 8).

The pages are found by walking the URL resolver through the authorisation matrix
(tests/authorisation/): every URL name whose GET answers 200 to someone is measured, as one persona
of each kind that may see it (visitor, member, staff, leader, finance, administrator). Each is
measured in the matrix's world (`build_world`, plus `growth.first_rows` for the few lists it leaves
empty: one of everything) and again once `growth.grow` has added 49 more of everything those pages
list. A page must make exactly as many queries in both; the first count is also pinned below, so a
change either way shows up in review. The counts include the session and user look-ups, with
sessions kept in the database (as without Redis) so that the counts are the same with or without it.

Not measured (NOT_MEASURED, each with its reason): URLs that take POST only. No GET in the matrix
only redirects. Downloads (CSV, PDF, receipts, certificates) are measured like pages: a streamed
file is read to its end inside the count, so queries made while streaming are counted too.

The world is built once for the whole module inside a transaction that is rolled back, and all
pages are measured in one go (about a minute); the tests below then judge the numbers.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from tests.authorisation.matrix import EXEMPT_PREFIXES, OK, TOPICS, all_rows, build_world
from tests.authorisation.test_authorisation_matrix import all_url_names
from tests.conftest import PERSONA_DETAILS, make_person
from tests.quality.growth import EXTRA, GROWERS, first_rows, grow

# Only so pytest-django sets up the test database: the measuring happens in a module fixture.
pytestmark = pytest.mark.django_db

# One persona of each kind measures a page: the first of its kind the matrix lets see it. The
# world's records are `member`'s and `staff`'s, so they come before the others of their kind.
KINDS = [
    ("visitor",),
    ("member", "other_member"),
    ("staff", "other_staff"),
    ("leader",),
    ("finance",),
    ("administrator",),
]

NOT_MEASURED = {
    # Each changes something and redirects: no page is shown, so there is nothing to count.
    "invitation_revoke": "POST only",
    "programmes:team_remove": "POST only",
    "programmes:point_happened": "POST only",
    "people:delete_cancel": "POST only",
    "people:opportunity_publish": "POST only",
    "people:opportunity_close": "POST only",
    "people:opportunity_fill": "POST only",
    "people:shortlisting_done": "POST only",
    "recognition:claim_submit": "POST only",
    "recognition:item_remove": "POST only",
    "recognition:certificate_create": "POST only",
    "recognition:batch_export": "POST only",
    "recognition:batch_paid": "POST only",
    "recognition:batch_discard": "POST only",
    "reporting:schedule_subscribe": "POST only",
}

# Queries each page makes in the small world, per persona. If you changed a page on purpose, update
# its line here: the failure message prints every line to paste.
PINNED = {
    "home": {"visitor": 0, "member": 3, "staff": 3, "leader": 3, "finance": 3, "administrator": 3},
    "accessibility": {"visitor": 0, "member": 3, "staff": 3, "leader": 3, "finance": 3, "administrator": 3},
    "privacy": {"visitor": 0, "member": 3, "staff": 3, "leader": 3, "finance": 3, "administrator": 3},
    "healthz": {"visitor": 1, "member": 4, "staff": 4, "leader": 4, "finance": 4, "administrator": 4},
    "dashboard": {"member": 20, "staff": 22, "leader": 8, "finance": 10, "administrator": 5},
    "my_account": {"member": 4, "staff": 5, "leader": 5, "finance": 5, "administrator": 5},
    "invitation_list": {"administrator": 5},
    "invitation_create": {"administrator": 4},
    "invitation_accept": {"visitor": 2},
    "programmes:list": {"staff": 5, "leader": 7, "administrator": 5},
    "programmes:create": {"staff": 5, "administrator": 5},
    "programmes:detail": {"staff": 16, "leader": 16, "administrator": 16},
    "programmes:edit": {"staff": 6, "administrator": 6},
    "programmes:team": {"staff": 7, "leader": 6, "administrator": 7},
    "programmes:project_create": {"staff": 6, "administrator": 6},
    "programmes:project_detail": {"staff": 10, "leader": 9, "administrator": 9},
    "programmes:project_edit": {"staff": 7, "administrator": 7},
    "programmes:point_create": {"staff": 7, "administrator": 7},
    "programmes:point_edit": {"staff": 8, "administrator": 8},
    "programmes:point_cancel": {"staff": 7, "administrator": 7},
    "programmes:point_rate": {"member": 6, "staff": 7, "administrator": 6},
    "programmes:participant_invite": {"staff": 6, "administrator": 6},
    "programmes:my_projects": {"member": 6, "administrator": 5},
    "programmes:participation_respond": {"member": 4},
    "programmes:partner_list": {"administrator": 5},
    "programmes:champions": {"visitor": 1, "member": 4, "staff": 4, "leader": 4, "finance": 4, "administrator": 4},
    "programmes:commitment_list": {"staff": 7, "leader": 8, "administrator": 7},
    "programmes:commitment_create": {"leader": 5},
    "programmes:commitment_request": {"staff": 6, "administrator": 6},
    "programmes:commitment_detail": {"staff": 6, "leader": 6, "administrator": 6},
    "programmes:commitment_decide": {"leader": 5},
    "programmes:commitment_withdraw": {"leader": 5},
    "programmes:commitment_renew": {"leader": 5},
    "programmes:signoff_request": {"staff": 6, "administrator": 6},
    "programmes:signoff_detail": {"staff": 6, "leader": 6, "administrator": 6},
    "programmes:signoff_decide": {"leader": 5},
    "programmes:signoff_withdraw": {"staff": 5},
    "people:profile": {"member": 8, "administrator": 9},
    "people:profile_edit": {"member": 6, "administrator": 7},
    "people:access_needs": {"member": 4, "administrator": 5},
    "people:equality": {"member": 5, "administrator": 5},
    "people:your_data": {"member": 30, "staff": 30, "leader": 30, "finance": 30, "administrator": 29},
    "people:your_data_download": {"member": 31, "staff": 28, "leader": 28, "finance": 28, "administrator": 29},
    "people:consent": {"member": 6, "staff": 8, "leader": 8, "finance": 8, "administrator": 7},
    "people:delete_account": {"member": 4},
    "people:opportunity_list": {"visitor": 4, "member": 7, "staff": 7, "leader": 7, "finance": 7, "administrator": 7},
    "people:opportunity_detail": {"visitor": 3, "member": 7, "staff": 8, "leader": 7, "finance": 7, "administrator": 8},
    "people:opportunity_manage": {"staff": 6, "administrator": 6},
    "people:opportunity_create": {"staff": 7, "administrator": 7},
    "people:opportunity_edit": {"staff": 8, "administrator": 8},
    "people:applications": {"staff": 11, "administrator": 11},
    "people:application_decide": {"staff": 6, "administrator": 6},
    "people:reach_opportunity": {"staff": 9, "leader": 9, "administrator": 9},
    "people:reach_download_opportunity": {"staff": 9, "leader": 9, "administrator": 9},
    "people:reach_programme": {"staff": 9, "leader": 9, "administrator": 9},
    "people:reach_download_programme": {"staff": 9, "leader": 9, "administrator": 9},
    "people:apply": {"other_member": 7},
    "people:my_applications": {"member": 4},
    "people:application_detail": {"member": 6},
    "people:application_withdraw": {"member": 4},
    "people:population_upload": {"administrator": 5},
    "recognition:log_list": {"member": 4},
    "recognition:log_create": {"member": 9},
    "recognition:log_edit": {"member": 6},
    "recognition:claim_list": {"member": 4},
    "recognition:claim_create": {"member": 6},
    "recognition:claim_detail": {"member": 7, "staff": 8, "finance": 8},
    "recognition:item_add": {"member": 6},
    "recognition:receipt": {"member": 6, "staff": 7, "finance": 7},
    "recognition:my_recognition": {"member": 9},
    "recognition:certificate_pdf": {"member": 5},
    "recognition:certificate_check": {
        "visitor": 0,
        "member": 3,
        "staff": 3,
        "leader": 3,
        "finance": 3,
        "administrator": 3,
    },
    "recognition:approvals": {"staff": 10},
    "recognition:log_decide": {"staff": 8},
    "recognition:item_decide": {"staff": 7},
    "recognition:reward_correct": {"staff": 7},
    "recognition:attendance": {"staff": 12},
    "recognition:project_involvement": {"staff": 15},
    "recognition:totals": {"staff": 11, "leader": 10, "administrator": 10},
    "recognition:finance": {"finance": 9},
    "recognition:batch_create": {"finance": 6},
    "recognition:batch_detail": {"finance": 11},
    "recognition:batch_download": {"finance": 11},
    "people:my_training": {"member": 9, "staff": 8, "leader": 9, "finance": 9, "administrator": 7},
    "people:training_courses": {"member": 6, "staff": 5, "leader": 7, "finance": 7, "administrator": 5},
    "people:training_course_detail": {"member": 9, "staff": 9, "leader": 10, "finance": 10, "administrator": 9},
    "people:training_session_book": {"member": 6, "staff": 7, "leader": 7, "finance": 7, "administrator": 7},
    "people:training_booking_cancel": {"member": 4},
    "people:training_record_add": {"member": 4, "staff": 5, "leader": 5, "finance": 5, "administrator": 5},
    "people:training_certificate": {"member": 4, "staff": 7, "administrator": 6},
    "people:training_manage": {"staff": 9, "administrator": 9},
    "people:training_course_create": {"staff": 4, "administrator": 4},
    "people:training_course_edit": {"staff": 5, "administrator": 5},
    "people:training_session_create": {"staff": 6, "administrator": 6},
    "people:training_session_edit": {"staff": 6, "administrator": 6},
    "people:training_session_attendance": {"staff": 8, "administrator": 8},
    "people:training_import": {"staff": 4, "administrator": 4},
    "people:training_person": {"staff": 12, "administrator": 11},
    "people:training_coverage": {"staff": 10, "leader": 8, "administrator": 10},
    "reporting:you_said_create": {"member": 4, "administrator": 5},
    "reporting:my_you_said": {"member": 4, "administrator": 5},
    "reporting:my_subscriptions": {"member": 4, "administrator": 5},
    "reporting:you_said_list": {"staff": 8, "leader": 8, "administrator": 8},
    "reporting:you_said_record": {"staff": 8, "administrator": 8},
    "reporting:we_did_create": {"staff": 7, "administrator": 7},
    "reporting:we_did_edit": {"staff": 8, "administrator": 8},
    "reporting:schedules": {"staff": 7, "leader": 9, "administrator": 7},
    "reporting:schedule_create": {"staff": 6, "administrator": 6},
    "reporting:schedule_detail": {"staff": 7, "leader": 7, "administrator": 7},
    "reporting:report_now": {"staff": 5, "administrator": 5},
    "reporting:report_detail": {"staff": 5, "leader": 5, "administrator": 5},
    "reporting:report_pdf": {"staff": 6, "leader": 6, "administrator": 6},
    "reporting:report_csv": {"staff": 6, "leader": 6, "administrator": 6},
    "reporting:report_publish": {"staff": 5, "administrator": 5},
    "reporting:review": {"staff": 25, "leader": 25, "administrator": 25},
    "reporting:self_assessment": {"staff": 5, "administrator": 5},
    "reporting:review_system": {"staff": 24, "leader": 24, "administrator": 24},
    "reporting:public_reports": {"visitor": 1, "member": 4, "staff": 4, "leader": 4, "finance": 4, "administrator": 4},
    "reporting:public_report": {"visitor": 1, "member": 4, "staff": 4, "leader": 4, "finance": 4, "administrator": 4},
    "reporting:public_report_pdf": {
        "visitor": 1,
        "member": 4,
        "staff": 4,
        "leader": 4,
        "finance": 4,
        "administrator": 4,
    },
    "reporting:public_report_csv": {
        "visitor": 1,
        "member": 4,
        "staff": 4,
        "leader": 4,
        "finance": 4,
        "administrator": 4,
    },
}

# Where PostgreSQL makes a different number of queries from SQLite, the same shape as PINNED.
PINNED_ON = {"postgresql": {}}


def _pinned():
    pins = {name: dict(counts) for name, counts in PINNED.items()}
    for name, counts in PINNED_ON.get(connection.vendor, {}).items():
        pins.setdefault(name, {}).update(counts)
    return {(name, persona): count for name, counts in pins.items() for persona, count in counts.items()}


def _as_pins(counts):
    """{(name, persona): n} as the lines of PINNED."""
    by_name = {}
    for (name, persona), count in counts.items():
        by_name.setdefault(name, {})[persona] = count
    return "\n".join(f"    {json.dumps(name)}: {json.dumps(by_name[name])}," for name in by_name)


def _measured_as(row):
    """The persona of each kind who may see the page (GET answers 200)."""
    personas = []
    for kind in KINDS:
        allowed = [p for p in kind if row.get and row.get[p] == OK]
        if allowed:
            personas.append(allowed[0])
    return personas


def _count(client, url):
    reset_queries()  # the query log keeps only the last 9,000: start each page with an empty one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(queries), len(body)


def _measure_all(clients, pages):
    counts = {}
    for (url_name, persona), url in pages.items():
        _count(clients[persona], url)  # once to warm per-process caches (content types, sessions)
        counts[url_name, persona] = _count(clients[persona], url)
    return counts


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{(url name, persona): ((status, queries, bytes) in the small world, the same when grown)}"""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sessions_in_the_database = "django.contrib.sessions.backends.db"
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, SESSION_ENGINE=sessions_in_the_database),
        transaction.atomic(),
    ):
        cache.clear()
        people = {name: make_person(*details) for name, details in PERSONA_DETAILS.items()}
        world = build_world(people)
        first_rows(world)
        clients = {"visitor": Client()}
        for name, user in people.items():
            clients[name] = Client()
            clients[name].force_login(user)
        pages = {
            (row.url_name, persona): reverse(row.url_name, args=row.args(world))
            for row in all_rows()
            for persona in _measured_as(row)
        }
        small = _measure_all(clients, pages)
        grow(world)
        cache.clear()
        large = _measure_all(clients, pages)
        transaction.set_rollback(True)
    cache.clear()
    return {key: (small[key], large[key]) for key in pages}


def test_every_url_is_measured_or_says_why_not():
    rows = {row.url_name: row for row in all_rows()}
    names = {name for name in all_url_names() if not name.startswith(EXEMPT_PREFIXES)}
    no_row = sorted(names - set(rows))
    assert not no_row, f"URLs with no row in tests/authorisation/rows/, so nothing can measure them: {no_row}"
    unmeasured = {name for name in names if not _measured_as(rows[name])}
    assert unmeasured == set(NOT_MEASURED), (
        "A URL whose GET answers 200 to nobody is not measured, and must be listed in NOT_MEASURED with why; "
        f"listed but measured: {sorted(set(NOT_MEASURED) - unmeasured)}; "
        f"not measured but not listed: {sorted(unmeasured - set(NOT_MEASURED))}"
    )


def test_every_matrix_topic_has_a_grower():
    assert list(GROWERS) == TOPICS, "Add a grower for each new topic in tests/quality/growth.py, in TOPICS order"


def test_every_page_answers_200_in_both_worlds(measured):
    wrong = [
        f"{name} as {persona}: {small[0]} then {large[0]}"
        for (name, persona), (small, large) in measured.items()
        if small[0] != 200 or large[0] != 200
    ]
    assert not wrong, "Pages that did not answer 200:\n" + "\n".join(wrong)


def test_no_page_makes_more_queries_with_more_rows(measured):
    grew = [
        f"{name} as {persona}: {small[1]} queries, then {large[1]} with {EXTRA} more rows"
        for (name, persona), (small, large) in sorted(measured.items())
        if small[1] != large[1]
    ]
    assert not grew, "Query counts that change with the number of rows (an N+1?):\n" + "\n".join(grew)


def test_query_counts_are_as_pinned(measured):
    pinned = _pinned()
    counts = {key: small[1] for key, (small, _large) in measured.items()}
    changed = [
        f"{name} as {persona}: pinned {pinned.get((name, persona))}, now {count}"
        for (name, persona), count in counts.items()
        if pinned.get((name, persona)) != count
    ]
    stale = sorted(set(pinned) - set(counts))
    assert not changed and not stale, (
        f"Query counts differ from PINNED in {__file__} ({connection.vendor}):\n"
        + "\n".join(changed)
        + (f"\nPinned but no longer measured: {stale}" if stale else "")
        + "\nIf that is what you meant, update the pins (a difference on one database only goes in PINNED_ON)."
        + " Measured now:\n"
        + _as_pins(counts)
    )
