"""Who may see and act on champion commitments and sign-off requests (step 1).

Imported by programmes/champions.py, so the rules are registered wherever the services are used.
What state an item must be in for a step (e.g. still waiting) is checked by the services, so a
person allowed to act gets a clear "already decided" answer rather than "not allowed".
"""

import rules

from coproduction.rules import is_administrator, is_leader, is_staff_role
from programmes.rules import is_on_programme_team


@rules.predicate
def is_the_leader(user, item):
    """The commitment is this leader's own, or the request is addressed to them."""
    return item is not None and user.is_authenticated and item.leader_id == user.pk


@rules.predicate
def asked_for_it(user, item):
    return item is not None and user.is_authenticated and item.requested_by_id == user.pk


@rules.predicate
def is_system_wide(user, programme):
    return programme is None


@rules.predicate
def is_on_sign_off_programme_team(user, sign_off):
    return sign_off is not None and is_on_programme_team(user, sign_off.programme)


# Commitments: the leader whose commitment it is, and the person who asked for it.
rules.add_perm("programmes.view_commitment", is_administrator | is_the_leader | asked_for_it)
rules.add_perm("programmes.decide_commitment", is_leader & is_the_leader)
rules.add_perm("programmes.withdraw_commitment", (is_leader & is_the_leader) | asked_for_it)
rules.add_perm("programmes.renew_commitment", is_leader & is_the_leader)
# Asking for a commitment: about a programme you work on, or about the whole system.
rules.add_perm(
    "programmes.ask_for_commitment", is_administrator | (is_staff_role & (is_system_wide | is_on_programme_team))
)

# Sign-off of a programme's co-production plan: the programme's team may follow it too.
rules.add_perm(
    "programmes.view_sign_off",
    is_administrator | is_the_leader | asked_for_it | (is_staff_role & is_on_sign_off_programme_team),
)
rules.add_perm("programmes.decide_sign_off", is_leader & is_the_leader)
rules.add_perm("programmes.withdraw_sign_off", asked_for_it)
rules.add_perm("programmes.ask_for_sign_off", is_administrator | (is_staff_role & is_on_programme_team))
