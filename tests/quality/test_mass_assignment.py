"""Mass assignment: fields a form does not show change nothing.

For every form found (tests/quality/form_discovery.py) the form is sent twice from the same
starting point, each time in a savepoint that is rolled back: once as a person would fill it in, and
once the same plus fields the form does not show (`status`, `approved_by`, `amount`, `is_staff`, …)
with hostile values: ids of another person's records, "approved", 9999, "true". Every column with one
of those names, in every table, must end up the same both times: the extra fields made no difference.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Max

from coproduction.roles import Role, role_group
from tests.conftest import make_person
from tests.programmes.factories import ProgrammeFactory, ProjectFactory
from tests.quality.form_discovery import built_site, describe, plausible_submission, submit, undone

# Pinned from a run: the number of forms whose plain submission succeeded, so the comparison is
# about real saves, not only error pages. Raise it as forms are added.
SUCCEEDING_FLOOR = 65

HOSTILE_ID = 987654321  # an id no sequence reaches in a test run
HOSTILE_UUID = uuid.UUID("00000000-0000-4000-8000-00000000bad0")
HOSTILE_MOMENT = "2001-02-03 04:05:06"


def intruders(world):
    """Someone else's records, whose ids the hostile fields carry."""
    mallory = make_person("Mallory Intruder", "mallory@example.org", Role.STAFF)
    programme = ProgrammeFactory(name="Somebody else's programme")
    return {
        "intruder": mallory,
        "intruder_programme": programme,
        "intruder_project": ProjectFactory(programme=programme, lead=mallory, name="Somebody else's project"),
    }


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_site(django_db_blocker, tmp_path_factory.mktemp("media"), intruders) as site:
        yield site


HOSTILE_NAMES = (
    "status",
    "approved_by",
    "approved_at",
    "amount",
    "is_staff",
    "is_superuser",
    "user",
    "member",
    "owner",
    "programme",
    "project",
    "paid",
    "paid_at",
    "role",
    "roles",
    "groups",
    "public_id",
    "id",
    "pk",
    "created_by",
    "decided_by",
    "rate",
    "hours",
)


def hostile_fields(world) -> dict[str, str]:
    mallory = str(world["intruder"].pk)
    return {
        "status": "approved",
        "approved_by": mallory,
        "approved_at": HOSTILE_MOMENT,
        "amount": "9999",
        "is_staff": "true",
        "is_superuser": "true",
        "user": mallory,
        "member": mallory,
        "owner": mallory,
        "programme": str(world["intruder_programme"].pk),
        "project": str(world["intruder_project"].pk),
        "paid": "true",
        "paid_at": HOSTILE_MOMENT,
        "role": Role.ADMINISTRATOR,
        "roles": Role.ADMINISTRATOR,
        "groups": str(role_group(Role.ADMINISTRATOR).pk),
        "public_id": str(HOSTILE_UUID),
        "id": str(HOSTILE_ID),
        "pk": str(HOSTILE_ID),
        "created_by": mallory,
        "decided_by": mallory,
        "rate": "9999",
        "hours": "9999",
    }


# Watching the columns with those names ---------------------------------------------------------------


def watched_columns():
    """(model, [field attnames]) for every model with a column named like a hostile field, and the
    many-to-many fields with such names."""
    columns, many = [], []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [f for f in model._meta.concrete_fields if f.name in HOSTILE_NAMES and not f.primary_key]
        if fields:
            columns.append((model, fields))
        many += [(model, f) for f in model._meta.many_to_many if f.name in HOSTILE_NAMES]
    return columns, many


def snapshot(columns, many) -> dict:
    """Every watched value, by (model, pk), and for each related model the highest id so far (so a
    reference to a row made during the submission can be told from one to an older row)."""
    rows, newest = {}, {}
    for model, fields in columns:
        for pk, *values in model._base_manager.values_list("pk", *(f.attname for f in fields)):
            rows[(model._meta.label, pk)] = dict(zip(fields, values, strict=True))
        for field in fields:
            if field.is_relation and field.related_model not in newest:
                newest[field.related_model] = field.related_model._base_manager.aggregate(Max("pk"))["pk__max"]
    pair_owners = {}
    for model, field in many:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        label = f"{model._meta.label}.{field.name}"
        pair_owners[label] = model
        newest.setdefault(model, model._base_manager.aggregate(Max("pk"))["pk__max"])
        for pair in through.objects.values_list(f"{source}_id", f"{target}_id"):
            rows[(label, pair)] = {}
    return {"rows": rows, "newest": newest, "pair_owners": pair_owners}


def _plain(field, value, newest):
    """Values that differ between two runs of the same submission (new moments, new random ids,
    references to rows the submission made) compare equal, unless they are the hostile ones."""
    if isinstance(value, datetime.datetime):
        return "2001-02-03!" if value.date() == datetime.date(2001, 2, 3) else "<a moment>"
    if isinstance(value, uuid.UUID):
        return "HOSTILE UUID!" if value == HOSTILE_UUID else "<an id>"
    if isinstance(value, Decimal):
        return value.normalize()
    if field.is_relation and value is not None and value > (newest.get(field.related_model) or 0):
        return "<a row made now>"
    return value


def changes(before, after) -> dict:
    """What a submission did to the watched columns: rows changed, rows added (with their values,
    not their new ids), rows removed."""
    old_rows, new_rows, newest = before["rows"], after["rows"], before["newest"]
    changed, added = {}, []
    removed = sorted(str(key) for key in old_rows.keys() - new_rows.keys())
    for key, row in new_rows.items():
        old = old_rows.get(key)
        if old is None:
            label, pk = key
            if isinstance(pk, tuple):  # a many-to-many pair, whose owner may have been made now
                owner_is_new = pk[0] > (newest[before["pair_owners"][label]] or 0)
                pk = ("<a row made now>" if owner_is_new else pk[0], pk[1])
            else:
                pk = "HOSTILE ID!" if pk == HOSTILE_ID else "<new>"
            values = sorted((field.name, _plain(field, value, newest)) for field, value in row.items())
            added.append(str((label, pk, values)))
        elif old != row:
            changed[str(key)] = {
                field.name: _plain(field, value, newest) for field, value in row.items() if old[field] != value
            }
    return {"changed": changed, "added": sorted(added), "removed": removed}


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303):
        return "success"
    if response.status_code == 200 and b"nhsuk-error-summary" not in response.content:
        return "success"
    return f"{response.status_code} with errors"


def send(site, form, data, watched):
    """(outcome, changes) for one submission, rolled back afterwards."""
    client = site.clients[form.persona]
    with undone(client):
        before = snapshot(*watched)
        try:
            response = submit(client, form, data)
        except Exception as error:  # noqa: BLE001 - the test client re-raises what would be a 500
            raise AssertionError(f"{form.key}\n  sent {describe(data)}\n  server error: {error!r}") from error
        assert response.status_code < 500, f"{form.key}: server error {response.status_code}"
        return outcome_of(response), changes(before, snapshot(*watched))


def honest_submission(site, form, watched):
    """The first of a few plausible ways to fill the form in that succeeds (dates in the past, the
    future or today; a registered member's email or a new one), or the first if none does."""
    today = datetime.date.today()
    tries = []
    for day in (today - datetime.timedelta(days=7), today + datetime.timedelta(days=30), today):
        for email in ("bob@example.org", "someone.new@example.org"):
            data = plausible_submission(form, day=day, email=email)
            outcome, done = send(site, form, data, watched)
            if outcome == "success":
                return data, outcome, done
            tries.append((data, outcome, done))
            if not any("email" in name for name in form.controls):
                break
    return tries[0]


@pytest.mark.django_db
def test_fields_a_form_does_not_show_change_nothing(site):
    watched = watched_columns()
    hostile = hostile_fields(site.world)
    assert set(hostile) == set(HOSTILE_NAMES)
    leaks, succeeded = [], []
    for form in site.forms:
        if form.method != "post":
            continue
        data, outcome, honest = honest_submission(site, form, watched)
        if outcome == "success":
            succeeded.append(form.key)
        extras = {name: [value] for name, value in hostile.items() if name not in form.controls}
        tampered_outcome, tampered = send(site, form, {**data, **extras}, watched)
        if tampered != honest or tampered_outcome != outcome:
            leaks.append(
                f"{form.key}\n  extra fields {sorted(extras)}\n  plain: {outcome} {honest}\n"
                f"  with extras: {tampered_outcome} {tampered}"
            )
    assert not leaks, "Fields the form does not show made a difference:\n\n" + "\n\n".join(leaks)
    assert len(succeeded) >= SUCCEEDING_FLOOR, (
        f"Only {len(succeeded)} forms accepted a plain submission (floor {SUCCEEDING_FLOOR}), so the "
        f"comparison proves little. These did: {succeeded}"
    )


# Object swap: someone else's record, with a body that would succeed -----------------------------------

DENIED = {"403": (403,), "404": (404,), "login": (302,)}


@pytest.mark.django_db
def test_a_submission_that_works_for_its_owner_changes_nothing_for_anyone_else(site):
    """Each form that accepts a plain submission from the person the matrix allows is sent again,
    the same, by every signed-in person the matrix refuses at that URL (another member, staff off the
    programme, the wrong role): each is refused and no row anywhere is added, removed or changed
    (beyond the audit entry that records the refusal)."""
    from tests.authorisation.test_authorisation_matrix import ROWS_BY_NAME
    from tests.quality.test_form_fuzzing import counted_tables, row_counts

    watched = watched_columns()
    tables = [t for t in counted_tables() if t != "coproduction_auditentry"]
    problems, tried = [], 0
    for form in site.forms:
        row = ROWS_BY_NAME.get(form.action_name)
        if form.method != "post" or row is None or row.post is None:
            continue
        data, outcome, _done = honest_submission(site, form, watched)
        if outcome != "success":
            continue
        for persona, expected in row.post.items():
            if persona == "visitor" or expected not in DENIED:
                continue
            client = site.clients[persona]
            with undone(client):
                before, counts = snapshot(*watched), row_counts(tables)
                response = submit(client, form, data)
                done = changes(before, snapshot(*watched))
                counts_after = row_counts(tables)
            tried += 1
            moved = {t: (counts[t], counts_after[t]) for t in tables if counts[t] != counts_after[t]}
            if response.status_code not in DENIED[expected] or any(done.values()) or moved:
                problems.append(
                    f"{form.key}, sent by {persona}: expected {expected}, got {response.status_code}; "
                    f"changed {done}; row counts {moved}"
                )
    assert not problems, "Someone refused still changed something:\n" + "\n".join(problems)
    assert tried >= 100, f"only {tried} refused submissions were tried"
