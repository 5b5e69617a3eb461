"""Who may do what with courses, sessions, bookings and training records. Checked on the server.

Imported by people/training.py, so the rules exist wherever the services are used.

- Everyone signed in sees the courses offered to them, books places on them and keeps their own
  training ("My training"). Members see courses for members; people who work for the system (staff,
  leaders, finance officers, administrators) see courses for staff.
- Staff and administrators add and change courses, add sessions, and import past completions.
- A session's organiser (or an administrator) changes it and marks attendance.
- A person's records (and certificates) are seen by them, by staff on a programme they are on (as a
  team member or as a participant taking part in one of its projects), and by administrators.
- A programme's training coverage: as for the programme page (its team, leaders, administrators);
  the names behind the figures only for its team and administrators.
"""

import rules
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from coproduction.roles import Role
from coproduction.rules import is_administrator, is_leader, is_member, is_staff_role
from programmes.models import Participant, TeamMembership
from programmes.rules import is_on_programme_team

STAFF_SIDE_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.FINANCE, Role.ADMINISTRATOR})


def works_for_the_system(user) -> bool:
    return bool(user and user.is_authenticated and user.role_names & STAFF_SIDE_ROLES)


def audience_of(user) -> dict:
    """Keyword arguments for Course.objects.for_audience(): which courses are offered to this person."""
    return {
        "member": bool(user.is_authenticated and user.has_role(Role.MEMBER)),
        "staff_side": works_for_the_system(user),
    }


def people_in_scope(user):
    """The people whose training this person may see: everyone for administrators; for staff, the
    people on their programmes (team members, and participants taking part in the projects)."""
    User = get_user_model()
    if not user.is_authenticated:
        return User.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return User.objects.all()
    if not user.has_role(Role.STAFF):
        return User.objects.none()
    my_programmes = TeamMembership.objects.filter(user=user).values("programme")
    on_team = TeamMembership.objects.filter(user=OuterRef("pk"), programme__in=my_programmes)
    taking_part = Participant.objects.taking_part().filter(member=OuterRef("pk"), project__programme__in=my_programmes)
    return User.objects.filter(Exists(on_team) | Exists(taking_part))


# Predicates ---------------------------------------------------------------------------------------
@rules.predicate
def is_staff_side(user):
    return works_for_the_system(user)


@rules.predicate
def course_is_offered_to(user, course):
    if course is None:
        return False
    if course.audience == course.Audience.MEMBERS:
        return is_member(user)
    if course.audience == course.Audience.STAFF:
        return works_for_the_system(user)
    return is_member(user) or works_for_the_system(user)


@rules.predicate
def session_is_offered_to(user, session):
    return session is not None and course_is_offered_to(user, session.course)


@rules.predicate
def runs_session(user, session):
    return session is not None and session.organiser_id == user.pk


@rules.predicate
def is_in_scope(user, person):
    """`person` is on one of the user's programmes (the views pass the person, or a record)."""
    if person is None:
        return False
    person_id = getattr(person, "person_id", None) or person.pk
    return people_in_scope(user).filter(pk=person_id).exists()


@rules.predicate
def owns_record(user, record):
    return record is not None and record.person_id == user.pk


# Permissions --------------------------------------------------------------------------------------
rules.add_perm("people.see_training_catalogue", rules.is_authenticated)
rules.add_perm("people.keep_my_training", rules.is_authenticated)
rules.add_perm("people.manage_courses", is_staff_role | is_administrator)
rules.add_perm("people.view_course", is_staff_role | is_administrator | course_is_offered_to)
rules.add_perm("people.add_training_session", is_staff_role | is_administrator)
rules.add_perm("people.change_training_session", is_administrator | (is_staff_role & runs_session))
rules.add_perm("people.mark_attendance", is_administrator | (is_staff_role & runs_session))
rules.add_perm("people.book_training_session", session_is_offered_to)
rules.add_perm("people.import_training_records", is_staff_role | is_administrator)
rules.add_perm("people.view_person_training", is_administrator | (is_staff_role & is_in_scope))
rules.add_perm("people.view_training_record", owns_record | is_administrator | (is_staff_role & is_in_scope))
rules.add_perm("people.view_training_coverage", is_administrator | is_leader | (is_staff_role & is_on_programme_team))
rules.add_perm("people.see_team_training", is_administrator | (is_staff_role & is_on_programme_team))
rules.add_perm("people.manage_training", is_staff_role | is_administrator)
