"""Who may do what with involvement logs, rewards, expenses, receipts and payment batches.

Views check these with `recognition.access.can` (rules' own test, no superuser shortcut): money
follows separation of duties, so an administrator gets no more here than their roles give them,
and nobody decides about their own time or their own claim.
"""

import rules

from coproduction.rules import is_administrator, is_finance, is_leader, is_member, is_staff_role
from programmes.rules import is_on_programme_team


@rules.predicate
def is_owner(user, record):
    """The member the log, claim, reward or receipt belongs to."""
    return record is not None and user.is_authenticated and _member_id(record) == user.pk


@rules.predicate
def is_on_record_team(user, record):
    """Staff on the programme team of the project the record is about."""
    return record is not None and is_on_programme_team(user, _project(record).programme)


@rules.predicate
def is_on_point_team(user, point):
    return point is not None and is_on_programme_team(user, point.project.programme)


@rules.predicate
def log_is_open(user, log):
    return log is not None and log.is_open


@rules.predicate
def claim_is_draft(user, claim):
    return claim is not None and claim.status == claim.Status.DRAFT


def _member_id(record):
    for path in ("member_id", "claim.member_id", "item.claim.member_id"):
        target = record
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    return None


def _project(record):
    for path in ("project", "claim.project", "item.claim.project", "log.project"):
        target = record
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    raise AttributeError(f"{record!r} has no project")


on_team_not_own = is_staff_role & is_on_record_team & ~is_owner

# Members: their own time and costs.
rules.add_perm("recognition.log_time", is_member)
rules.add_perm("recognition.claim_expenses", is_member)
rules.add_perm("recognition.see_my_recognition", is_member)
rules.add_perm("recognition.view_log", is_owner | (is_staff_role & is_on_record_team))
rules.add_perm("recognition.change_log", is_owner & log_is_open)
rules.add_perm("recognition.change_claim", is_owner & claim_is_draft)

# Staff: only on their programmes, never their own.
rules.add_perm("recognition.see_approvals", is_staff_role)
rules.add_perm("recognition.decide_log", on_team_not_own)
rules.add_perm("recognition.correct_reward", on_team_not_own)
rules.add_perm("recognition.decide_claim", on_team_not_own)
rules.add_perm("recognition.record_attendance", is_staff_role & is_on_point_team)
rules.add_perm("recognition.see_project_involvement", is_staff_role & is_on_programme_team)
rules.add_perm("recognition.see_totals", is_staff_role | is_leader | is_administrator)


@rules.predicate
def claim_is_sent(user, claim):
    return claim is not None and claim.status != claim.Status.DRAFT


# Claims and receipts: the claimant; once sent, the project's staff and finance too.
rules.add_perm(
    "recognition.view_claim", is_owner | (claim_is_sent & ((is_staff_role & is_on_record_team) | is_finance))
)

# Finance: builds, exports and pays batches.
rules.add_perm("recognition.manage_payments", is_finance)
