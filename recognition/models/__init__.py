"""Recognition: involvement logs, rate cards, rewards, expenses and receipts, payment batches,
certificates. One module per topic; import models from `recognition.models`."""

from recognition.models.certificates import Certificate, normalise_code
from recognition.models.logs import Activity, InvolvementLog, RewardChoice
from recognition.models.rates import ExpensePolicy, RateCard, RateCardLine, RateUnit, check_rate_lines
from recognition.models.rewards import (
    RECEIPT_REQUIRED,
    ExpenseCategory,
    ExpenseClaim,
    ExpenseItem,
    ImmutableRecord,
    PaymentBatch,
    Receipt,
    Reward,
)

__all__ = [
    "RECEIPT_REQUIRED",
    "Activity",
    "Certificate",
    "ExpenseCategory",
    "ExpenseClaim",
    "ExpenseItem",
    "ExpensePolicy",
    "ImmutableRecord",
    "InvolvementLog",
    "PaymentBatch",
    "RateCard",
    "RateCardLine",
    "RateUnit",
    "Receipt",
    "Reward",
    "RewardChoice",
    "check_rate_lines",
    "normalise_code",
]
