"""The authorisation matrix: every URL name × persona → what happens.

One row per URL name. A test walks the URL resolver and fails if a URL has no row, so a new view
cannot ship without saying who may use it. Later features add their rows to ROWS and the objects
their URLs need to `world` (see test_authorisation_matrix.py).

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


def only(*allowed, outcome=OK, others=DENIED):
    return {"visitor": LOGIN, **{p: (outcome if p in allowed else others) for p in SIGNED_IN}}


@dataclass
class Row:
    url_name: str
    get: dict | None  # None: the URL takes POST only
    post: dict | None = None  # outcomes of an empty POST; None when POST means nothing here
    args: object = field(default=lambda world: [])  # world -> URL arguments


# URL names outside this table: allauth's own account pages and the Django admin, both tested by
# their projects and covered here by the MFA and rate-limit tests.
EXEMPT_PREFIXES = ("admin:", "account_", "mfa_")

ROWS = [
    Row("home", get=public()),
    Row("accessibility", get=public()),
    Row("privacy", get=public()),
    Row("healthz", get=public()),
    Row("dashboard", get=signed_in()),
    Row("my_account", get=signed_in()),
    Row("invitation_list", get=only("administrator")),
    Row("invitation_create", get=only("administrator"), post=only("administrator")),
    Row(
        "invitation_revoke",
        get=None,
        post=only("administrator", outcome=REDIRECT),
        args=lambda world: [world["invitation"].public_id],
    ),
    # The emailed link is public; it is for a new account, so signed-in people are sent away.
    Row(
        "invitation_accept",
        get={"visitor": OK, **dict.fromkeys(SIGNED_IN, REDIRECT)},
        args=lambda world: [world["invitation"].token],
    ),
]
