"""Milestones on a member's recognition page: first involvement, hours reached, courses completed."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from recognition.money import hours

HOUR_MILESTONES = (10, 50, 100)


@dataclass(frozen=True)
class Milestone:
    title: str
    reached_on: date | None


@dataclass(frozen=True)
class NextMilestone:
    title: str
    hours_to_go: object


def for_member(member, confirmed_logs) -> tuple[list[Milestone], NextMilestone | None]:
    """The milestones reached (oldest first) and the next hours milestone, from confirmed logs
    already loaded by the caller (no queries of its own)."""
    reached = []
    logs = sorted(confirmed_logs, key=lambda log: (log.date, log.created_at))
    if logs:
        reached.append(Milestone(_("Your first involvement"), logs[0].date))
    running = 0
    targets = list(HOUR_MILESTONES)
    for log in logs:
        running += log.minutes
        while targets and running >= targets[0] * 60:
            reached.append(Milestone(_("%(hours)s hours of involvement") % {"hours": targets.pop(0)}, log.date))
    reached += course_milestones(member)
    reached.sort(key=lambda milestone: milestone.reached_on or date.min)
    upcoming = None
    if targets:
        upcoming = NextMilestone(
            _("%(hours)s hours of involvement") % {"hours": targets[0]}, hours(targets[0] * 60 - running)
        )
    return reached, upcoming


def course_milestones(member) -> list[Milestone]:
    """One milestone per course the member completed (people's training records), in one query.
    A course taken again counts once, at its first completion."""
    from people.models import TrainingRecord

    first_completed = {}
    for record in TrainingRecord.objects.filter(person=member).select_related("course").order_by("completed_on", "pk"):
        first_completed.setdefault(record.course_id, record)
    return [
        Milestone(_("Course completed: %(course)s") % {"course": record.course.title}, record.completed_on)
        for record in first_completed.values()
    ]
