"""Step 1, leaders champion it: champion commitments and sign-off of programmes' co-production plans.

How things move:

    commitment  made by a leader ........................ ACTIVE
                asked for by staff ...................... REQUESTED
                REQUESTED -> ACTIVE | DECLINED            (the leader decides)
                REQUESTED -> WITHDRAWN                    (the person who asked)
                ACTIVE | LAPSED -> WITHDRAWN              (the leader)
                ACTIVE -> LAPSED                          (the review date passed: review_commitments)
                ACTIVE | LAPSED -> ACTIVE                 (the leader renews it with a new review date)
    sign-off    WAITING -> APPROVED | DECLINED            (the leader asked)
                WAITING -> WITHDRAWN                      (the person who asked)

Every step writes a LeaderDecision row (the history people see) and an audit entry in the same
transaction, and moves the status with a conditional UPDATE, so a second decision on the same item
raises DecisionError and changes nothing. Bad input raises ValidationError keyed by form field.
Emails are queued to go out (through Celery) once the transaction commits.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction import audit
from coproduction.emails import queue_templated_email
from coproduction.roles import Role
from programmes import champion_rules  # noqa: F401  (registers the object-level rules)
from programmes.models import ChampionCommitment, LeaderDecision, SignOffRequest

Commitment = ChampionCommitment.Status
SignOff = SignOffRequest.Status
Action = LeaderDecision.Action

REMINDER_DAYS_BEFORE_REVIEW = 30
SUGGESTED_REVIEW_AFTER_DAYS = 365
REQUESTS_THAT_WAIT = {ChampionCommitment: Commitment.REQUESTED, SignOffRequest: SignOff.WAITING}


class DecisionError(Exception):
    """This step cannot be taken now (for example, it was already decided). Nothing was changed."""


# Helpers ------------------------------------------------------------------------------------------


def _link(url_name: str, item) -> str:
    return settings.SITE_URL + reverse(url_name, args=[item.public_id])


def _clean_reason(reason: str | None, *, required: bool, message: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": message})
    return reason


def _check_pledge(pledge: str | None) -> str:
    pledge = (pledge or "").strip()
    if not pledge:
        raise ValidationError({"pledge": _("Write what you pledge to do")})
    return pledge


def _check_review_date(review_date, *, today: date | None = None) -> date:
    today = today or timezone.localdate()
    if review_date is None:
        raise ValidationError({"review_date": _("Enter a review date")})
    if review_date <= today:
        raise ValidationError({"review_date": _("Review date must be in the future")})
    return review_date


def _check_leader(leader, *, by) -> None:
    if not leader.is_active or not leader.has_role(Role.LEADER):
        raise ValidationError({"leader": _("Choose a leader from the list")})
    if leader.pk == by.pk:
        raise ValidationError({"leader": _("Choose a leader other than yourself")})


def already_decided_message(item) -> str:
    current = type(item).objects.filter(pk=item.pk).first()
    if current is None:
        return _("This request no longer exists. Nothing has changed.")
    if current.status == REQUESTS_THAT_WAIT[type(item)]:
        return _("This cannot be done while the request is still waiting for a decision. Nothing has changed.")
    return _("This has already been decided: it is now “%(status)s”. Nothing has changed.") % {
        "status": current.get_status_display()
    }


def _move(item, *, from_states, to_state, **changes) -> None:
    """Move `item` to `to_state` only if it is still in one of `from_states` in the database.

    A conditional UPDATE that must touch exactly one row: two people (or two clicks) deciding at
    once cannot both succeed, on any database.
    """
    changes = {"status": to_state, "updated_at": timezone.now(), **changes}
    moved = type(item).objects.filter(pk=item.pk, status__in=list(from_states)).update(**changes)
    if moved != 1:
        raise DecisionError(already_decided_message(item))
    for name, value in changes.items():
        setattr(item, name, value)


def _history(item, *, action, by, reason: str = "", at=None) -> LeaderDecision:
    about = {"commitment": item} if isinstance(item, ChampionCommitment) else {"sign_off_request": item}
    return LeaderDecision.objects.create(action=action, by=by, reason=reason, at=at or timezone.now(), **about)


# Champion commitments -----------------------------------------------------------------------------


@transaction.atomic
def make_commitment(*, leader, programme, pledge: str, review_date, request=None) -> ChampionCommitment:
    """A leader makes a commitment of their own. It is current (and public) at once."""
    if not leader.has_role(Role.LEADER):
        raise DecisionError(_("Only leaders can make a champion commitment."))
    pledge = _check_pledge(pledge)
    review_date = _check_review_date(review_date)
    now = timezone.now()
    commitment = ChampionCommitment.objects.create(
        leader=leader,
        programme=programme,
        pledge=pledge,
        review_date=review_date,
        status=Commitment.ACTIVE,
        decided_at=now,
    )
    _history(commitment, action=Action.MADE, by=leader, at=now)
    audit.record("champion.commitment_made", actor=leader, subject=commitment, request=request)
    return commitment


@transaction.atomic
def request_commitment(*, by, leader, programme, message: str, request=None) -> ChampionCommitment:
    """Staff ask a named leader to be a champion, for a programme or for the whole system.

    The review date is a suggestion a year ahead; the leader sets the real one when they say yes.
    """
    _check_leader(leader, by=by)
    message = (message or "").strip()
    commitment = ChampionCommitment.objects.create(
        leader=leader,
        programme=programme,
        pledge="",
        review_date=timezone.localdate() + timedelta(days=SUGGESTED_REVIEW_AFTER_DAYS),
        status=Commitment.REQUESTED,
        requested_by=by,
        request_message=message,
    )
    _history(commitment, action=Action.REQUESTED, by=by, reason=message)
    audit.record("champion.commitment_requested", actor=by, subject=commitment, request=request)
    queue_templated_email(
        "programmes/email/commitment_requested",
        to=leader.email,
        context={"commitment": commitment, "asked_by": by, "url": _link("programmes:commitment_decide", commitment)},
    )
    return commitment


@transaction.atomic
def decide_commitment(
    *, commitment, by, approve: bool, reason: str = "", pledge=None, review_date=None, request=None
) -> ChampionCommitment:
    """The leader asked says yes (writing the pledge and review date) or no (with a reason)."""
    if by.pk != commitment.leader_id:
        raise DecisionError(_("Only the leader who was asked can decide."))
    if commitment.status != Commitment.REQUESTED:
        raise DecisionError(already_decided_message(commitment))
    if approve:
        reason = _clean_reason(reason, required=False, message="")
        pledge = _check_pledge(commitment.pledge if pledge is None else pledge)
        review_date = _check_review_date(review_date or commitment.review_date)
        changes = {"pledge": pledge, "review_date": review_date}
        to_state, action = Commitment.ACTIVE, Action.APPROVED
    else:
        reason = _clean_reason(reason, required=True, message=_("Say why you are saying no"))
        changes = {}
        to_state, action = Commitment.DECLINED, Action.DECLINED
    now = timezone.now()
    _move(
        commitment,
        from_states=[Commitment.REQUESTED],
        to_state=to_state,
        decided_at=now,
        decision_reason=reason,
        **changes,
    )
    _history(commitment, action=action, by=by, reason=reason, at=now)
    audit.record(f"champion.commitment_{action.value}", actor=by, subject=commitment, request=request)
    if commitment.requested_by_id and commitment.requested_by.email:
        queue_templated_email(
            "programmes/email/commitment_decided",
            to=commitment.requested_by.email,
            context={
                "commitment": commitment,
                "approved": approve,
                "leader": commitment.leader,
                "url": _link("programmes:commitment_detail", commitment),
            },
        )
    return commitment


def withdraw_problem(commitment, *, by) -> str | None:
    """Why `by` cannot withdraw this commitment now, or None if they can."""
    if by.pk == commitment.leader_id:
        if commitment.status == Commitment.REQUESTED:
            return _("This request is waiting for your decision. To say no, decide on it instead.")
        if commitment.status not in (Commitment.ACTIVE, Commitment.LAPSED):
            return already_decided_message(commitment)
        return None
    if by.pk == commitment.requested_by_id:
        if commitment.status != Commitment.REQUESTED:
            return _("The leader has already decided, so the request can no longer be withdrawn.")
        return None
    return _("Only the leader, or the person who asked, can withdraw this.")


def _withdrawable_states(commitment, by):
    if by.pk == commitment.leader_id:
        return [Commitment.ACTIVE, Commitment.LAPSED]
    return [Commitment.REQUESTED]


@transaction.atomic
def withdraw_commitment(*, commitment, by, reason: str, request=None) -> ChampionCommitment:
    """The leader withdraws their commitment, or the person who asked withdraws a waiting request."""
    problem = withdraw_problem(commitment, by=by)
    if problem:
        raise DecisionError(problem)
    reason = _clean_reason(reason, required=True, message=_("Say why you are withdrawing it"))
    now = timezone.now()
    _move(commitment, from_states=_withdrawable_states(commitment, by), to_state=Commitment.WITHDRAWN)
    _history(commitment, action=Action.WITHDRAWN, by=by, reason=reason, at=now)
    audit.record("champion.commitment_withdrawn", actor=by, subject=commitment, request=request)
    if by.pk != commitment.leader_id:
        queue_templated_email(
            "programmes/email/commitment_withdrawn",
            to=commitment.leader.email,
            context={"commitment": commitment, "withdrawn_by": by, "reason": reason},
        )
    return commitment


def renew_problem(commitment, *, by) -> str | None:
    if by.pk != commitment.leader_id:
        return _("Only the leader can renew their commitment.")
    if commitment.status not in (Commitment.ACTIVE, Commitment.LAPSED):
        return _("Only a current or lapsed commitment can be renewed.")
    return None


@transaction.atomic
def renew_commitment(*, commitment, by, review_date, pledge=None, reason: str = "", request=None) -> ChampionCommitment:
    """The leader keeps their commitment going (or restarts a lapsed one) with a new review date."""
    problem = renew_problem(commitment, by=by)
    if problem:
        raise DecisionError(problem)
    review_date = _check_review_date(review_date)
    pledge = _check_pledge(commitment.pledge if pledge is None else pledge)
    reason = _clean_reason(reason, required=False, message="")
    now = timezone.now()
    _move(
        commitment,
        from_states=[Commitment.ACTIVE, Commitment.LAPSED],
        to_state=Commitment.ACTIVE,
        review_date=review_date,
        pledge=pledge,
        reminder_sent_for=None,
    )
    _history(commitment, action=Action.RENEWED, by=by, reason=reason, at=now)
    audit.record("champion.commitment_renewed", actor=by, subject=commitment, request=request)
    return commitment


def review_commitments(*, today: date | None = None) -> dict:
    """Daily (Celery beat): remind leaders a month before a review date; lapse commitments past it.

    Each commitment is handled in its own transaction with a conditional UPDATE, so running this
    twice, or on two workers at once, sends each reminder once and lapses each commitment once.
    """
    today = today or timezone.localdate()
    lapsed = 0
    overdue = ChampionCommitment.objects.filter(status=Commitment.ACTIVE, review_date__lt=today)
    for commitment in overdue.select_related("leader", "programme"):
        lapsed += _lapse(commitment, today=today)
    reminded = 0
    due_soon = ChampionCommitment.objects.filter(
        status=Commitment.ACTIVE,
        review_date__gte=today,
        review_date__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_REVIEW),
    ).exclude(reminder_sent_for=F("review_date"))
    for commitment in due_soon.select_related("leader", "programme"):
        reminded += _remind(commitment)
    return {"reminded": reminded, "lapsed": lapsed}


@transaction.atomic
def _lapse(commitment, *, today: date) -> int:
    moved = ChampionCommitment.objects.filter(pk=commitment.pk, status=Commitment.ACTIVE, review_date__lt=today).update(
        status=Commitment.LAPSED, updated_at=timezone.now()
    )
    if moved != 1:
        return 0
    commitment.status = Commitment.LAPSED
    _history(
        commitment,
        action=Action.LAPSED,
        by=None,
        reason=_("The review date (%(date)s) passed without the commitment being renewed.")
        % {"date": f"{commitment.review_date.day} {commitment.review_date:%B %Y}"},
    )
    audit.record("champion.commitment_lapsed", subject=commitment)
    queue_templated_email(
        "programmes/email/commitment_lapsed",
        to=commitment.leader.email,
        context={"commitment": commitment, "url": _link("programmes:commitment_renew", commitment)},
    )
    return 1


@transaction.atomic
def _remind(commitment) -> int:
    moved = (
        ChampionCommitment.objects.filter(
            pk=commitment.pk, status=Commitment.ACTIVE, review_date=commitment.review_date
        )
        .exclude(reminder_sent_for=commitment.review_date)
        .update(reminder_sent_for=commitment.review_date)
    )
    if moved != 1:
        return 0
    commitment.reminder_sent_for = commitment.review_date
    audit.record("champion.review_reminder_sent", subject=commitment)
    queue_templated_email(
        "programmes/email/commitment_review_reminder",
        to=commitment.leader.email,
        context={"commitment": commitment, "url": _link("programmes:commitment_renew", commitment)},
    )
    return 1


# Sign-off of a programme's co-production plan -----------------------------------------------------


@transaction.atomic
def request_sign_off(*, programme, leader, by, message: str, request=None) -> SignOffRequest:
    _check_leader(leader, by=by)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what you are asking the leader to approve")})
    if SignOffRequest.objects.filter(programme=programme, leader=leader, status=SignOff.WAITING).exists():
        raise ValidationError(
            {"leader": _("You have already asked this leader to sign off this plan. They have not decided yet.")}
        )
    sign_off = SignOffRequest.objects.create(programme=programme, leader=leader, requested_by=by, message=message)
    _history(sign_off, action=Action.REQUESTED, by=by, reason=message)
    audit.record("signoff.requested", actor=by, subject=sign_off, request=request)
    queue_templated_email(
        "programmes/email/signoff_requested",
        to=leader.email,
        context={"sign_off": sign_off, "asked_by": by, "url": _link("programmes:signoff_decide", sign_off)},
    )
    return sign_off


@transaction.atomic
def decide_sign_off(*, sign_off, by, approve: bool, reason: str = "", request=None) -> SignOffRequest:
    if by.pk != sign_off.leader_id:
        raise DecisionError(_("Only the leader who was asked can decide."))
    if sign_off.status != SignOff.WAITING:
        raise DecisionError(already_decided_message(sign_off))
    reason = _clean_reason(reason, required=not approve, message=_("Say why you are not approving the plan"))
    to_state, action = (SignOff.APPROVED, Action.APPROVED) if approve else (SignOff.DECLINED, Action.DECLINED)
    now = timezone.now()
    _move(sign_off, from_states=[SignOff.WAITING], to_state=to_state, decided_at=now, decision_reason=reason)
    _history(sign_off, action=action, by=by, reason=reason, at=now)
    audit.record(f"signoff.{action.value}", actor=by, subject=sign_off, request=request)
    queue_templated_email(
        "programmes/email/signoff_decided",
        to=sign_off.requested_by.email,
        context={
            "sign_off": sign_off,
            "approved": approve,
            "leader": sign_off.leader,
            "url": _link("programmes:signoff_detail", sign_off),
        },
    )
    return sign_off


def sign_off_withdraw_problem(sign_off, *, by) -> str | None:
    if by.pk != sign_off.requested_by_id:
        return _("Only the person who asked can withdraw this request.")
    if sign_off.status != SignOff.WAITING:
        return _("The leader has already decided, so the request can no longer be withdrawn.")
    return None


@transaction.atomic
def withdraw_sign_off(*, sign_off, by, reason: str, request=None) -> SignOffRequest:
    problem = sign_off_withdraw_problem(sign_off, by=by)
    if problem:
        raise DecisionError(problem)
    reason = _clean_reason(reason, required=True, message=_("Say why you are withdrawing it"))
    now = timezone.now()
    _move(sign_off, from_states=[SignOff.WAITING], to_state=SignOff.WITHDRAWN)
    _history(sign_off, action=Action.WITHDRAWN, by=by, reason=reason, at=now)
    audit.record("signoff.withdrawn", actor=by, subject=sign_off, request=request)
    queue_templated_email(
        "programmes/email/signoff_withdrawn",
        to=sign_off.leader.email,
        context={"sign_off": sign_off, "withdrawn_by": by, "reason": reason},
    )
    return sign_off
