"""Profiles, access needs, equality answers and "your data".

Every one of these pages is about the person signed in: no URL carries an id, so nobody can ask for
anyone else's. Profiles are kept by members (administrators pass every permission as superusers, so
they get their own, empty, profile). "Your data" is for everyone signed in. Deleting an account is
for members without a staff-side role: the rest ask an administrator, so they get 403 even as
superusers.
"""

from tests.authorisation.matrix import OK, REDIRECT, Row, only, signed_in
from tests.people.factories_profiles import AccessNeedsFactory, EqualityMonitoringFactory, ProfileFactory


def build_world(world):
    """`member` has a profile, access needs and equality answers; the others have none yet."""
    member = world["people"]["member"]
    return {
        "member_profile": ProfileFactory(user=member),
        "member_access_needs": AccessNeedsFactory(user=member),
        "member_equality": EqualityMonitoringFactory(user=member),
    }


KEEPS_PROFILE = ("member", "other_member", "administrator")

ROWS = [
    Row("people:profile", get=only(*KEEPS_PROFILE)),
    # An empty POST is shown again with "Enter your name" and friends.
    Row("people:profile_edit", get=only(*KEEPS_PROFILE), post=only(*KEEPS_PROFILE)),
    # Nothing ticked is a valid answer ("no access needs"), and every equality question is optional.
    Row("people:access_needs", get=only(*KEEPS_PROFILE), post=only(*KEEPS_PROFILE, outcome=REDIRECT)),
    Row("people:equality", get=only(*KEEPS_PROFILE), post=only(*KEEPS_PROFILE, outcome=REDIRECT)),
    Row("people:your_data", get=signed_in()),
    Row("people:your_data_download", get=signed_in()),
    # An empty POST asks them to tick the privacy notice box.
    Row("people:consent", get=signed_in(), post=signed_in(OK)),
    # An empty POST asks "are you sure?" again; nothing is requested.
    Row("people:delete_account", get=only("member", "other_member"), post=only("member", "other_member")),
    # Nothing to cancel: they are sent back to "your data" with a message.
    Row("people:delete_cancel", get=None, post=only("member", "other_member", outcome=REDIRECT)),
]
