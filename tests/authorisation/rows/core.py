from coproduction.models import Invitation
from tests.authorisation.matrix import OK, REDIRECT, SIGNED_IN, Row, only, public, signed_in


def build_world(world):
    people = world["people"]
    return {
        "invitation": Invitation.objects.create(
            email="new.person@example.org", name="New Person", role="Staff", invited_by=people["administrator"]
        ),
    }


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
