"""Scoped fetches: 404 when the person may not see the object, 403 when they may see but not
change it. Views start here, never from `Model.objects`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from coproduction.roles import Role
from programmes.access import programme_for_user  # noqa: F401  (re-exported for the views)
from programmes.models import Programme, TeamMembership
from reporting.models import Report, ReportSchedule, ReportSubscription, WeDid, YouSaid


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _is_everywhere(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.has_role(Role.LEADER)


def team_programmes(user):
    return Programme.objects.filter(team_memberships__user=user)


def visible_reports(user):
    """Reports (published or not) this person may open on the staff side."""
    if _is_everywhere(user):
        return Report.objects.all()
    if not user.has_role(Role.STAFF):
        return Report.objects.none()
    subscribed = ReportSubscription.objects.filter(schedule=OuterRef("schedule"), user=user)
    return Report.objects.filter(
        Q(programme__isnull=True)
        | Q(programme__in=team_programmes(user))
        | Q(Exists(subscribed))
        | Q(requested_by=user)
    )


def visible_schedules(user):
    if _is_everywhere(user):
        return ReportSchedule.objects.all()
    if not user.has_role(Role.STAFF):
        return ReportSchedule.objects.none()
    subscribed = ReportSubscription.objects.filter(schedule=OuterRef("pk"), user=user)
    return ReportSchedule.objects.filter(
        Q(programme__isnull=True) | Q(programme__in=team_programmes(user)) | Q(Exists(subscribed))
    )


def _team_flag(obj, user):
    """Let programmes.rules read team membership without another query."""
    if obj.programme_id is not None:
        obj.programme.user_is_on_team = getattr(obj, "user_is_on_team", None)
    return obj


def _with_team_flag(queryset, user):
    return queryset.annotate(
        user_is_on_team=Exists(TeamMembership.objects.filter(programme=OuterRef("programme"), user=user))
    )


def report_for_user(user, public_id, *, publish=False) -> Report:
    report = (
        _with_team_flag(Report.objects.select_related("programme", "schedule"), user)
        .filter(public_id=public_id)
        .first()
    )
    if report is None:
        raise Http404
    _team_flag(report, user)
    if not user.has_perm("reporting.view_report", report):
        raise Http404
    if publish and not user.has_perm("reporting.publish_report", report):
        raise PermissionDenied
    return report


def published_report(public_id) -> Report:
    report = Report.objects.select_related("programme").filter(public_id=public_id, published_at__isnull=False).first()
    if report is None:
        raise Http404
    return report


def schedule_for_user(user, public_id, *, change=False) -> ReportSchedule:
    schedule = (
        _with_team_flag(ReportSchedule.objects.select_related("programme"), user).filter(public_id=public_id).first()
    )
    if schedule is None:
        raise Http404
    _team_flag(schedule, user)
    if not user.has_perm("reporting.view_schedule", schedule):
        raise Http404
    if change and not user.has_perm("reporting.change_schedule", schedule):
        raise PermissionDenied
    return schedule


def we_did_for_user(user, public_id) -> WeDid:
    we_did = (
        _with_team_flag(WeDid.objects.select_related("programme", "owner"), user).filter(public_id=public_id).first()
    )
    if we_did is None:
        raise Http404
    _team_flag(we_did, user)
    if not user.has_perm("reporting.see_feedback", we_did.programme):
        raise Http404
    if not user.has_perm("reporting.change_we_did", we_did):
        raise PermissionDenied
    return we_did


def my_items(user):
    """A member's own "You said" items, and only theirs."""
    return YouSaid.objects.filter(member=user)
