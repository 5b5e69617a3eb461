"""Use cases for recognition: logging and confirming involvement, rewards and corrections, expense
claims, payment batches and certificates.

Every function takes keyword arguments and an explicit acting user, runs in one transaction, and
writes its audit row in that transaction. State changes are conditional UPDATEs (`WHERE status =
old`), so two people acting at once cannot both succeed; a payment line joins a batch only through
`UPDATE ... WHERE batch_id IS NULL`, so nothing is paid twice.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone

from coproduction import audit
from coproduction.emails import queue_templated_email
from programmes.models import InvolvementPoint, Participant
from recognition import certificates, people_data
from recognition.models import (
    RECEIPT_REQUIRED,
    Certificate,
    ExpenseCategory,
    ExpenseClaim,
    ExpenseItem,
    ExpensePolicy,
    InvolvementLog,
    PaymentBatch,
    RateCard,
    Receipt,
    Reward,
    RewardChoice,
)
from recognition.models.logs import MAX_MINUTES_A_DAY
from recognition.models.rates import Price
from recognition.money import ZERO, add_months, hours, to_money
from recognition.receipts import check_receipt


class RecognitionError(Exception):
    """Something the rules do not allow; the message says why, in plain words, to the person."""


def _url(name, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


# Involvement logs ---------------------------------------------------------------------------------
def default_choice(member) -> str:
    """How someone is thanked when they have not said otherwise for this time: their saved
    preference, else payment (they can change it, and finance sees it before paying)."""
    return people_data.payment_preference(member) or RewardChoice.PAYMENT


def _check_log(*, member, project, point, date, minutes) -> None:
    if not Participant.objects.taking_part().filter(project=project, member=member).exists():
        raise RecognitionError("You can only log time for projects you take part in.")
    if point is not None and point.project_id != project.pk:
        raise RecognitionError("That involvement point is not part of this project.")
    if point is not None and point.status == InvolvementPoint.Status.CANCELLED:
        raise RecognitionError("That involvement point was cancelled.")
    if date > timezone.localdate():
        raise RecognitionError("The date must be today or in the past.")
    if not 1 <= minutes <= MAX_MINUTES_A_DAY:
        raise RecognitionError("The time must be more than 0 and no more than 24 hours.")


@transaction.atomic
def log_involvement(
    *, member, project, date, activity, minutes, choice, point=None, note="", request=None
) -> InvolvementLog:
    _check_log(member=member, project=project, point=point, date=date, minutes=minutes)
    log = InvolvementLog.objects.create(
        member=member,
        project=project,
        involvement_point=point,
        date=date,
        activity=activity,
        minutes=minutes,
        note=note.strip(),
        choice=choice,
        logged_by=member,
    )
    audit.record("involvement.logged", actor=member, subject=log, request=request)
    return log


@transaction.atomic
def change_log(
    *, log, by, project, date, activity, minutes, choice, point=None, note="", request=None
) -> InvolvementLog:
    """The member changes time that is not confirmed yet (answering a query sends it back to staff)."""
    if log.member_id != by.pk:
        raise RecognitionError("You can only change your own time.")
    _check_log(member=by, project=project, point=point, date=date, minutes=minutes)
    changed = (
        InvolvementLog.objects.open()
        .filter(pk=log.pk, member=by)
        .update(
            project=project,
            involvement_point=point,
            date=date,
            activity=activity,
            minutes=minutes,
            note=note.strip(),
            choice=choice,
            status=InvolvementLog.Status.WAITING,
            updated_at=timezone.now(),
        )
    )
    if not changed:
        raise RecognitionError("Staff have already made a decision about this time, so it cannot be changed.")
    log.refresh_from_db()
    audit.record("involvement.changed", actor=by, subject=log, request=request)
    return log


def _decide_log(log, *, by, status, reason="") -> InvolvementLog:
    if log.member_id == by.pk:
        raise RecognitionError("You cannot make decisions about your own time. Ask someone else on the team.")
    changed = (
        InvolvementLog.objects.open()
        .filter(pk=log.pk)
        .update(
            status=status,
            decided_by=by,
            decided_at=timezone.now(),
            decision_reason=reason.strip(),
            updated_at=timezone.now(),
        )
    )
    if not changed:
        raise RecognitionError("Someone has already made a decision about this time.")
    log.refresh_from_db()
    return log


@transaction.atomic
def confirm_log(*, log, by, request=None) -> Reward:
    """Confirm the time and write its reward line, priced by the rate card in force on its date."""
    _decide_log(log, by=by, status=InvolvementLog.Status.CONFIRMED)
    reward = _new_reward(log=log, by=by, minutes=log.minutes, choice=log.choice)
    audit.record("involvement.confirmed", actor=by, subject=log, detail=f"reward={reward.public_id}", request=request)
    return reward


@transaction.atomic
def query_log(*, log, by, reason, request=None) -> InvolvementLog:
    if not reason.strip():
        raise RecognitionError("Say what you need to know.")
    _decide_log(log, by=by, status=InvolvementLog.Status.QUERIED, reason=reason)
    audit.record("involvement.queried", actor=by, subject=log, request=request)
    queue_templated_email(
        "recognition/email/log_queried",
        to=log.member.email,
        context={"log": log, "reason": reason.strip(), "url": _url("recognition:log_edit", log.public_id)},
    )
    return log


@transaction.atomic
def reject_log(*, log, by, reason, request=None) -> InvolvementLog:
    if not reason.strip():
        raise RecognitionError("Say why the time is not confirmed.")
    _decide_log(log, by=by, status=InvolvementLog.Status.REJECTED, reason=reason)
    audit.record("involvement.rejected", actor=by, subject=log, request=request)
    queue_templated_email(
        "recognition/email/log_rejected",
        to=log.member.email,
        context={"log": log, "reason": reason.strip(), "url": _url("recognition:log_list")},
    )
    return log


@dataclass
class AttendanceResult:
    created: list = field(default_factory=list)
    already_logged: list = field(default_factory=list)


@transaction.atomic
def record_attendance(*, point, by, members, activity, minutes, request=None) -> AttendanceResult:
    """Staff say who was at an involvement point: each person present gets a confirmed log and its
    reward. People who already logged this point themselves are left for the approvals queue."""
    if point.status == InvolvementPoint.Status.CANCELLED:
        raise RecognitionError("This involvement point was cancelled.")
    if point.planned_date > timezone.localdate():
        raise RecognitionError("You can record who came once the involvement point has happened.")
    if not 1 <= minutes <= MAX_MINUTES_A_DAY:
        raise RecognitionError("The time must be more than 0 and no more than 24 hours.")
    if not members:
        raise RecognitionError("Select the people who were there.")
    if any(member.pk == by.pk for member in members):
        raise RecognitionError("You cannot confirm your own time. Ask someone else on the team.")
    taking_part = set(
        Participant.objects.taking_part().filter(project=point.project_id).values_list("member_id", flat=True)
    )
    if any(member.pk not in taking_part for member in members):
        raise RecognitionError("Only people taking part in the project can be marked as there.")
    already = set(
        InvolvementLog.objects.filter(involvement_point=point, member__in=members)
        .exclude(status=InvolvementLog.Status.REJECTED)
        .values_list("member_id", flat=True)
    )
    result = AttendanceResult()
    now = timezone.now()
    for member in members:
        if member.pk in already:
            result.already_logged.append(member)
            continue
        log = InvolvementLog.objects.create(
            member=member,
            project=point.project,
            involvement_point=point,
            date=point.planned_date,
            activity=activity,
            minutes=minutes,
            choice=default_choice(member),
            status=InvolvementLog.Status.CONFIRMED,
            source=InvolvementLog.Source.ATTENDANCE,
            logged_by=by,
            decided_by=by,
            decided_at=now,
        )
        _new_reward(log=log, by=by, minutes=minutes, choice=log.choice)
        result.created.append(log)
    if point.status == InvolvementPoint.Status.PLANNED:
        from programmes import services as programme_services

        programme_services.mark_point_happened(point=point, by=by, request=request)
    audit.record(
        "involvement.attendance_recorded",
        actor=by,
        subject=point,
        detail=f"confirmed={len(result.created)} already_logged={len(result.already_logged)}",
        request=request,
    )
    return result


# Rewards ------------------------------------------------------------------------------------------
def level_for(log):
    """The role level the time is paid at: the involvement point's, else the participant's own."""
    point = log.involvement_point
    if point is not None and point.involvement_level_id:
        return point.involvement_level
    participant = (
        Participant.objects.filter(project_id=log.project_id, member_id=log.member_id)
        .select_related("involvement_level")
        .first()
    )
    return participant.involvement_level if participant else None


def price_log(log, *, minutes=None) -> tuple:
    """(level, rate card, Price) for the log's time, under the rate card in force on its date."""
    minutes = log.minutes if minutes is None else minutes
    level = level_for(log)
    card = RateCard.objects.prefetch_related("lines").in_force_on(log.date)
    if card is None:
        return level, None, Price(None, "", None, ZERO, "No rate card was in force on this date.")
    return level, card, card.price(level=level, minutes=minutes)


def _new_reward(*, log, by, minutes, choice, entry=Reward.Entry.ORIGINAL, reason="") -> Reward:
    level, card, price = price_log(log, minutes=minutes)
    return Reward.objects.create(
        log=log,
        member_id=log.member_id,
        date=log.date,
        entry=entry,
        choice=choice,
        level=level,
        rate_card=card,
        rate_line=price.line,
        unit=price.unit,
        unit_amount=price.unit_amount,
        minutes=minutes,
        value=price.value,
        amount=ZERO if choice == RewardChoice.NO_PAYMENT else price.value,
        explanation=price.explanation,
        reason=reason.strip(),
        created_by=by,
    )


@dataclass
class Correction:
    reversal: Reward
    replacement: Reward | None


@transaction.atomic
def correct_reward(*, reward, by, reason, minutes=None, choice=None, request=None) -> Correction:
    """Correct a confirmed reward: a reversing line (its exact negative) and, unless the reward is
    simply cancelled, a new line priced afresh. The original is never edited; all three stay."""
    if not reason.strip():
        raise RecognitionError("Say why the reward is being corrected.")
    if reward.member_id == by.pk:
        raise RecognitionError("You cannot correct your own reward. Ask someone else on the team.")
    if reward.entry == Reward.Entry.REVERSAL:
        raise RecognitionError("A reversing line cannot itself be corrected.")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES_A_DAY:
        raise RecognitionError("The time must be more than 0 and no more than 24 hours.")
    # Lock the line so two corrections at once cannot both reverse it.
    reward = Reward.objects.select_for_update().select_related("log").get(pk=reward.pk)
    if Reward.objects.filter(reverses=reward).exists():
        raise RecognitionError("This line has already been corrected.")
    try:
        with transaction.atomic():
            reversal = Reward.objects.create(
                log=reward.log,
                member_id=reward.member_id,
                date=reward.date,
                entry=Reward.Entry.REVERSAL,
                choice=reward.choice,
                level=reward.level,
                rate_card=reward.rate_card,
                rate_line=reward.rate_line,
                unit=reward.unit,
                unit_amount=reward.unit_amount,
                minutes=-reward.minutes,
                value=-reward.value,
                amount=-reward.amount,
                explanation=f"Reverses the line of {reward.created_at:%-d %b %Y}.",
                reverses=reward,
                reason=reason.strip(),
                created_by=by,
            )
    except IntegrityError as error:
        raise RecognitionError("This line has already been corrected.") from error
    replacement = None
    if minutes is not None or choice is not None:
        new_minutes = minutes if minutes is not None else reward.minutes
        log = reward.log
        if new_minutes != log.minutes:
            InvolvementLog.objects.filter(pk=log.pk).update(minutes=new_minutes, updated_at=timezone.now())
            log.minutes = new_minutes
        replacement = _new_reward(
            log=log,
            by=by,
            minutes=new_minutes,
            choice=choice or reward.choice,
            entry=Reward.Entry.REPLACEMENT,
            reason=reason,
        )
    audit.record(
        "reward.corrected",
        actor=by,
        subject=reward,
        detail=f"reversal={reversal.public_id} replacement={replacement.public_id if replacement else '-'}",
        request=request,
    )
    return Correction(reversal, replacement)


# Expense claims -----------------------------------------------------------------------------------
@transaction.atomic
def start_claim(*, member, project, point=None, note="", request=None) -> ExpenseClaim:
    if not Participant.objects.taking_part().filter(project=project, member=member).exists():
        raise RecognitionError("You can only claim expenses for projects you take part in.")
    if point is not None and point.project_id != project.pk:
        raise RecognitionError("That involvement point is not part of this project.")
    claim = ExpenseClaim.objects.create(member=member, project=project, involvement_point=point, note=note.strip())
    audit.record("expenses.claim_started", actor=member, subject=claim, request=request)
    return claim


def claim_window_start(today=None):
    today = today or timezone.localdate()
    return add_months(today, -ExpensePolicy.in_force_on(today).claim_window_months)


def _check_item_date(date) -> None:
    today = timezone.localdate()
    if date > today:
        raise RecognitionError("The date of the cost must be today or in the past.")
    if date < claim_window_start(today):
        months = ExpensePolicy.in_force_on(today).claim_window_months
        raise RecognitionError(f"You can only claim for costs from the last {months} months.")


def _locked_draft(claim, by) -> ExpenseClaim:
    locked = ExpenseClaim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None or locked.member_id != by.pk:
        raise RecognitionError("You can only change your own claims.")
    if locked.status != ExpenseClaim.Status.DRAFT:
        raise RecognitionError("This claim has been sent, so it cannot be changed.")
    return locked


@transaction.atomic
def add_expense_item(
    *,
    claim,
    by,
    category,
    date,
    description,
    amount: Decimal | None = None,
    miles: Decimal | None = None,
    agreed_with: str = "",
    receipt=None,
    request=None,
) -> ExpenseItem:
    """Add one cost to a claim that is not sent yet. Mileage is priced here, at the rate in force on
    the day of the journey; the claimant never sets the amount for mileage."""
    claim = _locked_draft(claim, by)
    _check_item_date(date)
    mileage_rate = None
    if category == ExpenseCategory.MILEAGE:
        if not miles or miles <= 0:
            raise RecognitionError("Enter how many miles you drove.")
        mileage_rate = ExpensePolicy.in_force_on(date).mileage_rate
        amount = to_money(Decimal(miles) * mileage_rate)
        if amount <= 0:
            raise RecognitionError("The mileage rate for that date is £0, so there is nothing to claim.")
    else:
        miles = None
        if amount is None or amount <= 0:
            raise RecognitionError("Enter how much it cost.")
        amount = to_money(amount)
    if category == ExpenseCategory.CARER and not agreed_with.strip():
        raise RecognitionError("Say who agreed the carer or support worker before the day.")
    if category in RECEIPT_REQUIRED and receipt is None:
        raise RecognitionError("Add a photo or scan of the receipt or ticket.")
    item = ExpenseItem.objects.create(
        claim=claim,
        category=category,
        date=date,
        description=description.strip(),
        miles=miles,
        mileage_rate=mileage_rate,
        amount=amount,
        agreed_with=agreed_with.strip(),
    )
    stored = None
    try:
        if receipt is not None:
            stored = attach_receipt(item=item, by=by, uploaded=receipt)
        audit.record("expenses.item_added", actor=by, subject=claim, detail=f"item={item.public_id}", request=request)
    except BaseException:
        # The row goes with the transaction; the file must go with it.
        if stored is not None:
            stored.file.storage.delete(stored.file.name)
        raise
    return item


def attach_receipt(*, item, by, uploaded) -> Receipt:
    """Store a receipt for an item. The type is read from the file's bytes, never its name."""
    try:
        content_type = check_receipt(uploaded)
    except ValidationError as error:
        raise RecognitionError(error.messages[0]) from error
    receipt = Receipt(
        item=item,
        original_name=(uploaded.name or "receipt").replace("\\", "/").rsplit("/", 1)[-1][:200],
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    receipt.file = uploaded
    receipt.save()
    return receipt


@transaction.atomic
def remove_expense_item(*, item, by, request=None) -> None:
    claim = _locked_draft(item.claim, by)
    for receipt in item.receipts.all():
        name, storage = receipt.file.name, receipt.file.storage
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    item.receipts.all().delete()
    ExpenseItem.objects.filter(pk=item.pk).delete()
    audit.record("expenses.item_removed", actor=by, subject=claim, request=request)


@transaction.atomic
def submit_claim(*, claim, by, request=None) -> ExpenseClaim:
    claim = _locked_draft(claim, by)
    items = list(claim.items.all())
    if not items:
        raise RecognitionError("Add at least one cost before you send the claim.")
    for item in items:
        _check_item_date(item.date)
    now = timezone.now()
    ExpenseClaim.objects.filter(pk=claim.pk, status=ExpenseClaim.Status.DRAFT).update(
        status=ExpenseClaim.Status.SUBMITTED, submitted_at=now, updated_at=now
    )
    claim.refresh_from_db()
    audit.record("expenses.claim_submitted", actor=by, subject=claim, request=request)
    return claim


@transaction.atomic
def decide_expense_item(*, item, by, approve: bool, reason: str = "", request=None) -> ExpenseItem:
    claim = item.claim
    if claim.member_id == by.pk:
        raise RecognitionError("You cannot approve your own claim. Ask someone else on the team.")
    if not approve and not reason.strip():
        raise RecognitionError("Say why this cost is not approved.")
    if not ExpenseClaim.objects.filter(pk=claim.pk, status=ExpenseClaim.Status.SUBMITTED).exists():
        raise RecognitionError("This claim is not waiting for a decision.")
    now = timezone.now()
    # Own columns only (no join), so PostgreSQL re-checks `status = pending` on the row itself if
    # someone else decided it a moment earlier: the second decision changes nothing.
    changed = ExpenseItem.objects.filter(pk=item.pk, status=ExpenseItem.Status.PENDING).update(
        status=ExpenseItem.Status.APPROVED if approve else ExpenseItem.Status.REJECTED,
        decided_by=by,
        decided_at=now,
        decision_reason=reason.strip(),
        updated_at=now,
    )
    if not changed:
        raise RecognitionError("Someone has already made a decision about this cost.")
    item.refresh_from_db()
    audit.record("expenses.item_" + ("approved" if approve else "rejected"), actor=by, subject=item, request=request)
    all_decided = not claim.items.filter(status=ExpenseItem.Status.PENDING).exists()
    if all_decided and ExpenseClaim.objects.filter(pk=claim.pk, status=ExpenseClaim.Status.SUBMITTED).update(
        status=ExpenseClaim.Status.DECIDED, decided_at=now, updated_at=now
    ):
        claim.refresh_from_db()
        decided = list(claim.items.all())
        queue_templated_email(
            "recognition/email/claim_decided",
            to=claim.member.email,
            context={
                "claim": claim,
                "items": decided,
                "approved_total": sum((i.amount for i in decided if i.status == ExpenseItem.Status.APPROVED), ZERO),
                "url": _url("recognition:claim_detail", claim.public_id),
            },
        )
    return item


# Payment batches ----------------------------------------------------------------------------------
def _new_batch(*, by, up_to) -> PaymentBatch:
    now = timezone.now()
    return PaymentBatch.objects.create(
        reference=f"PB-{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(3).upper()}", up_to=up_to, built_by=by
    )


@transaction.atomic
def build_batch(*, by, up_to, request=None) -> PaymentBatch:
    """Gather every approved, unpaid reward and expense dated up to `up_to` into a new batch.

    Each line is claimed with one conditional UPDATE on its own table's columns only (no joins, so
    PostgreSQL re-checks `batch_id IS NULL` on the row itself if another batch claimed it first):
    a line is in at most one batch, even with two finance officers building at once.
    """
    if up_to > timezone.localdate():
        raise RecognitionError("The date must be today or in the past.")
    batch = _new_batch(by=by, up_to=up_to)
    now = timezone.now()
    reward_count = (
        Reward.objects.payable().filter(batch__isnull=True, date__lte=up_to).update(batch=batch, updated_at=now)
    )
    item_count = ExpenseItem.objects.filter(
        batch__isnull=True, status=ExpenseItem.Status.APPROVED, date__lte=up_to
    ).update(batch=batch, updated_at=now)
    if not reward_count and not item_count:
        raise RecognitionError("Nothing approved is waiting for payment up to that date.")
    audit.record(
        "payment_batch.built",
        actor=by,
        subject=batch,
        detail=f"rewards={reward_count} expenses={item_count}",
        request=request,
    )
    batch.reward_count, batch.item_count = reward_count, item_count
    return batch


def _move_batch(batch, *, by, old, new, stamp: str, request=None) -> PaymentBatch:
    now = timezone.now()
    changed = PaymentBatch.objects.filter(pk=batch.pk, status=old).update(
        status=new, **{f"{stamp}_by": by, f"{stamp}_at": now}, updated_at=now
    )
    if not changed:
        raise RecognitionError(
            {
                PaymentBatch.Status.EXPORTED: "Only a batch that has not been exported can be exported.",
                PaymentBatch.Status.PAID: "Only an exported batch can be marked as paid.",
                PaymentBatch.Status.DISCARDED: "Only a batch that has not been exported can be discarded.",
            }[new]
        )
    batch.refresh_from_db()
    audit.record(f"payment_batch.{stamp}", actor=by, subject=batch, request=request)
    return batch


@transaction.atomic
def export_batch(*, batch, by, request=None) -> PaymentBatch:
    """Freeze the batch for payroll. From now on its lines and totals never change."""
    return _move_batch(
        batch, by=by, old=PaymentBatch.Status.BUILT, new=PaymentBatch.Status.EXPORTED, stamp="exported", request=request
    )


@transaction.atomic
def discard_batch(*, batch, by, request=None) -> PaymentBatch:
    """Undo a batch built by mistake, before export: its lines wait for the next batch."""
    batch = _move_batch(
        batch,
        by=by,
        old=PaymentBatch.Status.BUILT,
        new=PaymentBatch.Status.DISCARDED,
        stamp="discarded",
        request=request,
    )
    now = timezone.now()
    Reward.objects.filter(batch=batch).update(batch=None, updated_at=now)
    ExpenseItem.objects.filter(batch=batch).update(batch=None, updated_at=now)
    return batch


@transaction.atomic
def mark_batch_paid(*, batch, by, request=None) -> PaymentBatch:
    batch = _move_batch(
        batch, by=by, old=PaymentBatch.Status.EXPORTED, new=PaymentBatch.Status.PAID, stamp="paid", request=request
    )
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(pk__in=set(payees(batch))).only("email", "name")
    for person in people:
        queue_templated_email(
            "recognition/email/batch_paid",
            to=person.email,
            context={"person": person, "url": _url("recognition:my_recognition")},
        )
    return batch


def payees(batch) -> list[int]:
    reward_people = Reward.objects.filter(batch=batch).values_list("member_id", flat=True)
    item_people = ExpenseItem.objects.filter(batch=batch).values_list("claim__member_id", flat=True)
    return list(reward_people) + list(item_people)


@transaction.atomic
def record_download(*, batch, by, request=None) -> None:
    """Payroll files hold personal data: every download is audited."""
    audit.record("payment_batch.downloaded", actor=by, subject=batch, request=request)


def record_receipt_download(*, receipt, by, request=None) -> None:
    """Receipts hold personal data (addresses, what was bought, sometimes why): every download is
    audited, whoever downloads it."""
    audit.record("receipt.downloaded", actor=by, subject=receipt, request=request)


# Certificates -------------------------------------------------------------------------------------
@transaction.atomic
def issue_certificate(*, member, request=None) -> Certificate:
    totals = (
        InvolvementLog.objects.confirmed()
        .filter(member=member)
        .aggregate(minutes=Sum("minutes"), first=Min("date"), last=Max("date"))
    )
    if not totals["minutes"]:
        raise RecognitionError("You need some confirmed involvement before we can make a certificate.")
    name = (member.name or "").strip()
    if not name:
        raise RecognitionError("Add your name to your account first, so it can go on your certificate.")
    certificate = Certificate.objects.create(
        member=member,
        name=name,
        hours=hours(totals["minutes"]),
        period_start=totals["first"],
        period_end=totals["last"],
    )
    audit.record("certificate.issued", actor=member, subject=certificate, request=request)
    return certificate


def certificate_pdf(*, certificate, by, request=None) -> bytes:
    """The certificate as a PDF, for its member to download. It carries their name and hours, so
    the download is audited like every export of personal data."""
    audit.record("certificate.downloaded", actor=by, subject=certificate, request=request)
    return certificates.render_pdf(certificate)
