"""The member's recognition data, for their download and for erasure.

Erasure blanks what people wrote (notes, descriptions, reasons given about them) and removes
certificates (they carry the name). The money records stay: rewards, expense items, receipts and the
logs behind them, linked to the anonymised account, because the law requires them for six years.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people import personal_data
from recognition.models import Certificate, ExpenseClaim, ExpenseItem, InvolvementLog, Receipt, Reward


def _date(value):
    return value.isoformat() if value else None


def _money(value):
    return None if value is None else f"{value:.2f}"


def export_recognition(user) -> dict:
    logs = InvolvementLog.objects.filter(member=user).select_related("project", "involvement_point").order_by("date")
    rewards = Reward.objects.filter(member=user).select_related("log", "batch", "level").order_by("date", "created_at")
    claims = ExpenseClaim.objects.filter(member=user).select_related("project").order_by("created_at")
    items = ExpenseItem.objects.filter(claim__member=user).select_related("claim", "batch").order_by("date")
    receipts = Receipt.objects.filter(item__claim__member=user).select_related("item").order_by("created_at")
    return {
        "involvement_logs": [
            {
                "id": str(log.public_id),
                "date": _date(log.date),
                "project": log.project.name,
                "involvement_point": log.involvement_point.title if log.involvement_point else None,
                "activity": log.get_activity_display(),
                "minutes": log.minutes,
                "note": log.note,
                "how_thanked": log.get_choice_display(),
                "status": log.get_status_display(),
                "recorded_by": log.get_source_display(),
                "decision_reason": log.decision_reason,
                "decided_at": _date(log.decided_at),
            }
            for log in logs
        ],
        "rewards": [
            {
                "id": str(reward.public_id),
                "log": str(reward.log.public_id),
                "date": _date(reward.date),
                "entry": reward.get_entry_display(),
                "how_thanked": reward.get_choice_display(),
                "role_level": str(reward.level) if reward.level else None,
                "minutes": reward.minutes,
                "value": _money(reward.value),
                "amount": _money(reward.amount),
                "explanation": reward.explanation,
                "reason": reward.reason,
                "payment_batch": reward.batch.reference if reward.batch else None,
                "status": str(reward.status[0]),
            }
            for reward in rewards
        ],
        "expense_claims": [
            {
                "id": str(claim.public_id),
                "project": claim.project.name,
                "note": claim.note,
                "status": claim.get_status_display(),
                "submitted_at": _date(claim.submitted_at),
            }
            for claim in claims
        ],
        "expense_items": [
            {
                "id": str(item.public_id),
                "claim": str(item.claim.public_id),
                "category": item.get_category_display(),
                "date": _date(item.date),
                "description": item.description,
                "miles": None if item.miles is None else str(item.miles),
                "mileage_rate": _money(item.mileage_rate),
                "amount": _money(item.amount),
                "agreed_with": item.agreed_with,
                "status": item.get_status_display(),
                "decision_reason": item.decision_reason,
                "payment_batch": item.batch.reference if item.batch else None,
            }
            for item in items
        ],
        "receipts": [
            {
                "id": str(receipt.public_id),
                "expense_item": str(receipt.item.public_id),
                "file_name": receipt.original_name,
                "type": receipt.content_type,
                "size_bytes": receipt.size,
                "uploaded_at": _date(receipt.created_at),
            }
            for receipt in receipts
        ],
        "certificates": [
            {
                "code": certificate.display_code,
                "name": certificate.name,
                "hours": str(certificate.hours),
                "period_start": _date(certificate.period_start),
                "period_end": _date(certificate.period_end),
                "issued_at": _date(certificate.issued_at),
            }
            for certificate in Certificate.objects.filter(member=user)
        ],
    }


def erase_recognition(user) -> None:
    now = timezone.now()
    InvolvementLog.objects.filter(member=user).filter(~Q(note="")).update(note="", updated_at=now)
    ExpenseClaim.objects.filter(member=user).filter(~Q(note="")).update(note="", updated_at=now)
    # Free text on kept money records: what it was for stays as its category; who agreed a carer goes.
    ExpenseItem.objects.filter(claim__member=user).update(description="", agreed_with="", updated_at=now)
    Receipt.objects.filter(item__claim__member=user).update(original_name="receipt", updated_at=now)
    Certificate.objects.filter(member=user).delete()


personal_data.register(
    "recognition",
    title=_("Your involvement, rewards and expenses"),
    export=export_recognition,
    erase=erase_recognition,
)
personal_data.not_exported(
    "recognition.Certificate.code", reason="exported as `code` in groups of four, as printed on the certificate"
)
