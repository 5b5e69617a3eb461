"""Who may do what with "You said", "We did", reports, schedules and reviews. Checked on the server.

Administrators are superusers and pass every rule. Leaders follow progress everywhere but change
nothing. Staff see and act on the programmes whose team they are on; system-wide reports and
schedules are seen by every staff-side person and run by administrators. Members tell us things,
see their own items, and read published reports.
"""

import rules

from coproduction.rules import is_administrator, is_leader, is_member, is_staff_role
from programmes.rules import is_on_programme_team


@rules.predicate
def is_system_wide(user, obj):
    return obj is not None and obj.programme_id is None


@rules.predicate
def is_on_its_team(user, obj):
    """The programme of a report, schedule or "We did" has this person on its team."""
    return obj is not None and obj.programme_id is not None and is_on_programme_team(user, obj.programme)


@rules.predicate
def subscribes_to_its_schedule(user, report):
    if report is None or not user.is_authenticated or not report.schedule_id:
        return False
    return report.schedule.subscriptions.filter(user=user).exists()


@rules.predicate
def asked_for_it(user, report):
    return report is not None and user.is_authenticated and report.requested_by_id == user.pk


@rules.predicate
def subscribes(user, schedule):
    return schedule is not None and user.is_authenticated and schedule.subscriptions.filter(user=user).exists()


staff_side = is_staff_role | is_leader | is_administrator

# "You said" and "We did"
rules.add_perm("reporting.tell_us", is_member)
rules.add_perm("reporting.see_feedback", is_administrator | is_leader | (is_staff_role & is_on_programme_team))
rules.add_perm("reporting.answer_feedback", is_administrator | (is_staff_role & is_on_programme_team))
rules.add_perm("reporting.change_we_did", is_administrator | (is_staff_role & is_on_its_team))

# Reports and schedules
rules.add_perm("reporting.see_reports", staff_side)
rules.add_perm("reporting.produce_report", is_staff_role | is_administrator)
rules.add_perm(
    "reporting.view_report",
    is_administrator
    | is_leader
    | (is_staff_role & (is_system_wide | is_on_its_team | subscribes_to_its_schedule | asked_for_it)),
)
rules.add_perm("reporting.publish_report", is_administrator | (is_staff_role & is_on_its_team))
rules.add_perm("reporting.add_schedule", is_staff_role | is_administrator)
rules.add_perm(
    "reporting.view_schedule",
    is_administrator | is_leader | (is_staff_role & (is_system_wide | is_on_its_team | subscribes)),
)
rules.add_perm("reporting.change_schedule", is_administrator | (is_staff_role & is_on_its_team))
rules.add_perm("reporting.choose_subscriptions", is_member)

# The seven-steps review
rules.add_perm("reporting.review_programme", is_administrator | is_leader | (is_staff_role & is_on_programme_team))
rules.add_perm("reporting.self_assess", is_administrator | (is_staff_role & is_on_programme_team))
rules.add_perm("reporting.review_system", staff_side)
