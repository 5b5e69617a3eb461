"""Use cases for programmes, projects, co-production plans and participants."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coproduction import audit
from coproduction.emails import queue_templated_email
from programmes.models import (
    InvolvementPoint,
    LadderRating,
    Participant,
    Programme,
    Project,
    TeamMembership,
)


class PlanError(Exception):
    """A change to a plan that the rules do not allow; the message says why in plain words."""


@transaction.atomic
def create_programme(*, by, request=None, **fields) -> Programme:
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    # Whoever creates a programme leads it, so they can go on to build its team and projects.
    TeamMembership.objects.create(programme=programme, user=by, role=TeamMembership.Role.LEAD)
    audit.record("programme.created", actor=by, subject=programme, request=request)
    return programme


@transaction.atomic
def update_record(*, record, by, fields: dict, request=None):
    """Save edited fields of a programme or project, after model validation."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    audit.record(f"{record._meta.model_name}.changed", actor=by, subject=record, request=request)
    return record


@transaction.atomic
def add_team_member(*, programme, user, role, by, request=None) -> TeamMembership:
    membership, created = TeamMembership.objects.get_or_create(programme=programme, user=user, defaults={"role": role})
    if not created:
        raise PlanError(f"{user} is already on this programme's team.")
    audit.record("programme.team_added", actor=by, subject=programme, detail=f"role={role}", request=request)
    return membership


@transaction.atomic
def remove_team_member(*, membership, by, request=None) -> None:
    programme = membership.programme
    if membership.role == TeamMembership.Role.LEAD and programme.team_memberships.filter(role="lead").count() == 1:
        raise PlanError("A programme needs a lead. Make someone else the lead before removing this person.")
    membership.delete()
    audit.record("programme.team_removed", actor=by, subject=programme, request=request)


@transaction.atomic
def create_project(*, programme, by, request=None, **fields) -> Project:
    project = Project(programme=programme, **fields)
    project.full_clean()
    project.save()
    audit.record("project.created", actor=by, subject=project, request=request)
    return project


@transaction.atomic
def save_involvement_point(*, point: InvolvementPoint, by, request=None) -> InvolvementPoint:
    creating = point.pk is None
    point.full_clean()
    point.save()
    audit.record("plan.point_added" if creating else "plan.point_changed", actor=by, subject=point, request=request)
    return point


@transaction.atomic
def mark_point_happened(*, point, by, request=None) -> None:
    changed = InvolvementPoint.objects.filter(pk=point.pk, status=InvolvementPoint.Status.PLANNED).update(
        status=InvolvementPoint.Status.HAPPENED, updated_at=timezone.now()
    )
    if not changed:
        raise PlanError("Only a planned involvement point can be marked as happened.")
    point.refresh_from_db()
    audit.record("plan.point_happened", actor=by, subject=point, request=request)


@transaction.atomic
def cancel_point(*, point, by, reason: str, request=None) -> None:
    if not reason.strip():
        raise PlanError("Say why the involvement point was cancelled.")
    changed = InvolvementPoint.objects.filter(pk=point.pk, status=InvolvementPoint.Status.PLANNED).update(
        status=InvolvementPoint.Status.CANCELLED, cancelled_reason=reason.strip(), updated_at=timezone.now()
    )
    if not changed:
        raise PlanError("Only a planned involvement point can be cancelled.")
    point.refresh_from_db()
    audit.record("plan.point_cancelled", actor=by, subject=point, request=request)


@transaction.atomic
def rate_point(*, point, by, level: int, rater_kind: str, comment: str = "") -> LadderRating:
    """Someone who was there says which rung was actually reached. One rating each; a second
    rating by the same person replaces their first."""
    if point.status != InvolvementPoint.Status.HAPPENED:
        raise PlanError("You can rate an involvement point only after it has happened.")
    rating, _ = LadderRating.objects.update_or_create(
        involvement_point=point,
        rated_by=by,
        defaults={"level": level, "rater_kind": rater_kind, "comment": comment, "rated_at": timezone.now()},
    )
    return rating


@transaction.atomic
def invite_participant(*, project, member, by, message: str = "", request=None) -> Participant:
    existing = Participant.objects.filter(project=project, member=member).first()
    if existing and existing.status in {Participant.Status.INVITED, Participant.Status.ACTIVE}:
        raise PlanError(f"{member} is already invited to or taking part in this project.")
    if existing:
        existing.status, existing.invited_by, existing.message, existing.responded_at = (
            Participant.Status.INVITED,
            by,
            message,
            None,
        )
        existing.save()
        participant = existing
    else:
        try:
            with transaction.atomic():
                participant = Participant.objects.create(project=project, member=member, invited_by=by, message=message)
        except IntegrityError as error:
            raise PlanError(f"{member} is already invited to this project.") from error
    audit.record("project.participant_invited", actor=by, subject=participant, request=request)
    queue_templated_email(
        "programmes/email/participant_invited",
        to=member.email,
        context={
            "participant": participant,
            "project": project,
            "respond_url": settings.SITE_URL
            + reverse("programmes:participation_respond", args=[participant.public_id]),
        },
    )
    return participant


@transaction.atomic
def respond_to_invitation(*, participant, by, accept: bool, request=None) -> None:
    new_status = Participant.Status.ACTIVE if accept else Participant.Status.DECLINED
    changed = Participant.objects.filter(pk=participant.pk, member=by, status=Participant.Status.INVITED).update(
        status=new_status, responded_at=timezone.now(), updated_at=timezone.now()
    )
    if not changed:
        raise PlanError("This invitation has already been answered.")
    participant.refresh_from_db()
    audit.record(
        "project.participant_" + ("accepted" if accept else "declined"), actor=by, subject=participant, request=request
    )
