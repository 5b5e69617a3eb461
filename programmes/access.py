"""Scoped fetches: 404 when the person may not see the object, 403 when they may see but not change it.

Views start here, never from `Model.objects`, so nobody learns that someone else's record exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from programmes.models import Programme, Project, TeamMembership


def _with_team_flag(queryset, user, programme_field="pk"):
    return queryset.annotate(
        user_is_on_team=Exists(TeamMembership.objects.filter(programme=OuterRef(programme_field), user=user))
    )


def programme_for_user(user, public_id, *, change=False) -> Programme:
    queryset = _with_team_flag(Programme.objects.select_related("partner"), user)
    programme = queryset.filter(public_id=public_id).first()
    if programme is None or not user.has_perm("programmes.view_programme", programme):
        raise Http404
    if change and not user.has_perm("programmes.change_programme", programme):
        raise PermissionDenied
    return programme


def project_for_user(user, public_id, *, change=False) -> Project:
    queryset = Project.objects.select_related("programme__partner", "lead")
    project = queryset.filter(public_id=public_id).first()
    if project is None:
        raise Http404
    project.programme.user_is_on_team = project.programme.has_team_member(user)
    if not user.has_perm("programmes.view_project", project):
        raise Http404
    if change and not user.has_perm("programmes.change_project", project):
        raise PermissionDenied
    return project
