"""The authorisation matrix: every URL name × persona → what happens.

One row per URL name. A test walks the URL resolver and fails if a URL has no row, so a new view
cannot ship without saying who may use it. Rows live in `rows/<topic>.py`, each module with `ROWS`
and `build_world(world)`, which makes the objects its URLs point at and returns them as a dict
merged into `world` (`world["people"]` holds the personas). Topics are built in TOPICS order, so a
later topic can use an earlier one's objects.

The personas and how they relate to the world: `staff` is on the programme's team and
`other_staff` is not; `member` takes part in the project and `other_member` does not; `leader` is
the leader that requests are addressed to.

Outcomes: OK (200), LOGIN (sent to sign in), DENIED (403), HIDDEN (404: must not learn it exists),
GONE (410), REDIRECT (302 elsewhere, e.g. after a successful POST), NOT_ALLOWED (405).
"""

from dataclasses import dataclass, field

OK, LOGIN, DENIED, HIDDEN, GONE, REDIRECT, NOT_ALLOWED = "200", "login", "403", "404", "410", "302", "405"

PERSONAS = ["visitor", "member", "other_member", "staff", "other_staff", "leader", "finance", "administrator"]
SIGNED_IN = PERSONAS[1:]


def public(outcome=OK):
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome=OK):
    return {"visitor": LOGIN, **dict.fromkeys(SIGNED_IN, outcome)}


def only(*allowed, outcome=OK, others=DENIED, **exceptions):
    """Allowed personas get `outcome`, the rest `others`; `exceptions` name single personas."""
    table = {"visitor": LOGIN, **{p: (outcome if p in allowed else others) for p in SIGNED_IN}}
    table.update(exceptions)
    return table


@dataclass
class Row:
    url_name: str
    get: dict | None  # None: the URL takes POST only
    post: dict | None = None  # outcomes of an empty POST; None when POST means nothing here
    args: object = field(default=lambda world: [])  # world -> URL arguments


# URL names outside this table: allauth's own account pages and the Django admin, both tested by
# their projects and covered by the MFA and rate-limit tests in tests/coproduction/.
EXEMPT_PREFIXES = ("admin:", "account_", "mfa_")


TOPICS = ["core", "programmes", "champions", "people", "opportunities", "recognition", "training", "reporting"]


def topic_modules():
    import importlib

    return [importlib.import_module(f"tests.authorisation.rows.{name}") for name in TOPICS]


def all_rows():
    return [row for module in topic_modules() for row in module.ROWS]


def build_world(people: dict) -> dict:
    """The objects every row's URL points at, for these personas (name → user): each topic in order."""
    world = {"people": people}
    for module in topic_modules():
        world.update(module.build_world(world))
    return world


def world_for(request) -> dict:
    """`build_world` for the personas as the test's fixtures make them (a `world` fixture's body)."""
    return build_world({name: request.getfixturevalue(name) for name in PERSONAS if name != "visitor"})
