"""Champion commitments and sign-off requests (step 1).

`leader` is asked for a commitment and for sign-off by `staff`, who is on the programme's team;
`leader` also has a current commitment of their own. Everyone else is a stranger to these records,
so they get 404 (they must not learn the records exist) — except the administrator, who may see
them but not act for the leader (403).
"""

import datetime

from django.utils import timezone

from programmes import champions
from tests.authorisation.matrix import DENIED, HIDDEN, Row, only, public


def build_world(world):
    people = world["people"]
    programme = world["programme"]
    review = timezone.localdate() + datetime.timedelta(days=200)
    asked = champions.request_commitment(
        by=people["staff"], leader=people["leader"], programme=programme, message="Please champion our plan."
    )
    active = champions.make_commitment(
        leader=people["leader"],
        programme=None,
        pledge="I will bring people with lived experience to our board.",
        review_date=review,
    )
    sign_off = champions.request_sign_off(
        programme=programme, leader=people["leader"], by=people["staff"], message="Please approve our plan."
    )
    return {"commitment_request": asked, "commitment": active, "sign_off": sign_off}


def _asked(world):
    return [world["commitment_request"].public_id]


def _active(world):
    return [world["commitment"].public_id]


def _sign_off(world):
    return [world["sign_off"].public_id]


# Only the leader (and, for a request, the person who asked) may see these; the administrator may
# look but not act; everyone else must not learn they exist.
LEADER_ACTS = only("leader", others=HIDDEN, administrator=DENIED)
REQUESTER_ACTS = only("staff", others=HIDDEN, administrator=DENIED, leader=DENIED)

ROWS = [
    Row("programmes:champions", get=public()),
    Row("programmes:commitment_list", get=only("leader", "staff", "other_staff", "administrator")),
    Row("programmes:commitment_create", get=only("leader"), post=only("leader")),
    Row(
        "programmes:commitment_request",
        get=only("staff", "other_staff", "administrator"),
        post=only("staff", "other_staff", "administrator"),
    ),
    Row("programmes:commitment_detail", get=only("leader", "staff", "administrator", others=HIDDEN), args=_asked),
    Row(
        "programmes:commitment_decide",
        get=only("leader", others=HIDDEN, administrator=DENIED, staff=DENIED),
        post=only("leader", others=HIDDEN, administrator=DENIED, staff=DENIED),
        args=_asked,
    ),
    Row("programmes:commitment_withdraw", get=LEADER_ACTS, post=LEADER_ACTS, args=_active),
    Row("programmes:commitment_renew", get=LEADER_ACTS, post=LEADER_ACTS, args=_active),
    Row(
        "programmes:signoff_request",
        get=only("staff", "administrator", others=HIDDEN, leader=DENIED),
        post=only("staff", "administrator", others=HIDDEN, leader=DENIED),
        args=lambda world: [world["programme"].public_id],
    ),
    Row("programmes:signoff_detail", get=only("leader", "staff", "administrator", others=HIDDEN), args=_sign_off),
    Row(
        "programmes:signoff_decide",
        get=only("leader", others=HIDDEN, administrator=DENIED, staff=DENIED),
        post=only("leader", others=HIDDEN, administrator=DENIED, staff=DENIED),
        args=_sign_off,
    ),
    Row("programmes:signoff_withdraw", get=REQUESTER_ACTS, post=REQUESTER_ACTS, args=_sign_off),
]
