"""Scoped fetches: 404 when the person may not see the record, 403 when they may see it but not do
this to it. Views start here, never from `Model.objects`."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from programmes.models import InvolvementPoint, Programme, Project, TeamMembership
from recognition.models import ExpenseClaim, ExpenseItem, InvolvementLog, PaymentBatch, Receipt, Reward


def can(user, perm: str, obj=None) -> bool:
    """The recognition rule itself: no superuser shortcut (see recognition/rules.py)."""
    return bool(user and user.is_authenticated and rules.has_perm(perm, user, obj))


def require(user, perm: str, obj=None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def _flag_team(programme: Programme, user) -> None:
    """Cache `user_is_on_team` so the rules do not query it again and again."""
    if getattr(programme, "user_is_on_team", None) is None:
        programme.user_is_on_team = programme.has_team_member(user)


def _team_flag(user, path):
    return Exists(TeamMembership.objects.filter(programme=OuterRef(path), user=user))


def _checked(record, user, view_perm, change_perm, project):
    if record is None:
        raise Http404
    _flag_team(project.programme, user)
    if not can(user, view_perm, record):
        raise Http404
    if change_perm and not can(user, change_perm, record):
        raise PermissionDenied
    return record


def log_for_user(user, public_id, *, change: str | None = None) -> InvolvementLog:
    log = (
        InvolvementLog.objects.select_related("project__programme", "involvement_point", "member")
        .annotate(user_is_on_team=_team_flag(user, "project__programme"))
        .filter(public_id=public_id)
        .first()
    )
    if log is not None:
        log.project.programme.user_is_on_team = log.user_is_on_team
    return _checked(log, user, "recognition.view_log", change, log.project if log else None)


def reward_for_user(user, public_id, *, change: str | None = None) -> Reward:
    """A reward line, checked through its log: the rules for a log are the rules for its money."""
    reward = (
        Reward.objects.select_related("log__project__programme", "log__involvement_point", "member", "batch", "level")
        .filter(public_id=public_id)
        .first()
    )
    if reward is None:
        raise Http404
    _checked(reward.log, user, "recognition.view_log", change, reward.log.project)
    return reward


def claim_for_user(user, public_id, *, change: str | None = None) -> ExpenseClaim:
    claim = (
        ExpenseClaim.objects.select_related("project__programme", "involvement_point", "member")
        .filter(public_id=public_id)
        .first()
    )
    return _checked(claim, user, "recognition.view_claim", change, claim.project if claim else None)


def item_for_user(user, public_id, *, change: str | None = None) -> ExpenseItem:
    item = (
        ExpenseItem.objects.select_related("claim__project__programme", "claim__member", "claim__involvement_point")
        .filter(public_id=public_id)
        .first()
    )
    if item is None:
        raise Http404
    claim = item.claim
    _flag_team(claim.project.programme, user)
    if not can(user, "recognition.view_claim", claim):
        raise Http404
    if change and not can(user, change, claim):
        raise PermissionDenied
    return item


def receipt_for_user(user, public_id) -> Receipt:
    receipt = Receipt.objects.select_related("item__claim__project__programme").filter(public_id=public_id).first()
    if receipt is None:
        raise Http404
    claim = receipt.item.claim
    _flag_team(claim.project.programme, user)
    if not can(user, "recognition.view_claim", claim):
        raise Http404
    return receipt


def point_for_user(user, public_id, *, perm: str) -> InvolvementPoint:
    point = (
        InvolvementPoint.objects.select_related("project__programme", "involvement_level")
        .filter(public_id=public_id)
        .first()
    )
    if point is None:
        raise Http404
    _flag_team(point.project.programme, user)
    if not can(user, perm, point):
        raise Http404
    return point


def project_for_user(user, public_id) -> Project:
    project = Project.objects.select_related("programme").filter(public_id=public_id).first()
    if project is None:
        raise Http404
    _flag_team(project.programme, user)
    if not can(user, "recognition.see_project_involvement", project.programme):
        raise Http404
    return project


def batch_for_user(user, public_id) -> PaymentBatch:
    """Payment batches are finance's alone: anyone else gets 403 on the finance pages, which they
    know exist; a batch id they guess tells them nothing more."""
    require(user, "recognition.manage_payments")
    batch = (
        PaymentBatch.objects.select_related("built_by", "exported_by", "paid_by").filter(public_id=public_id).first()
    )
    if batch is None:
        raise Http404
    return batch
