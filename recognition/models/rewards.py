"""Rewards, expense claims and payment batches: the money. Never edited once approved.

A reward line is written once. A correction is a reversing line (the negative of the original)
plus a new line, both kept and both shown. Expense items are decided once. A line joins a payment
batch only through a conditional UPDATE ... WHERE batch IS NULL, so it is never in two batches.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel
from programmes.models import InvolvementLevel, InvolvementPoint, Project
from recognition.models.logs import InvolvementLog, RewardChoice
from recognition.models.rates import RateCard, RateCardLine, RateUnit
from recognition.money import hours


class ImmutableRecord(Exception):
    """Money records are written once: correct them with a new entry."""


class PaymentBatch(PortalModel):
    class Status(models.TextChoices):
        BUILT = "built", _("Built – not yet exported")
        EXPORTED = "exported", _("Exported to payroll")
        PAID = "paid", _("Paid")
        DISCARDED = "discarded", _("Discarded before export")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    up_to = models.DateField(_("includes lines dated up to"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILT)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(default=timezone.now)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-built_at"]
        verbose_name_plural = "payment batches"

    def __str__(self):
        return self.reference

    @property
    def is_frozen(self) -> bool:
        return self.status in {self.Status.EXPORTED, self.Status.PAID}

    @property
    def status_colour(self) -> str:
        return {"built": "blue", "exported": "purple", "paid": "green", "discarded": "grey"}[self.status]


def _payment_status(line, *, waiting_label):
    batch = line.batch
    if batch is None:
        return waiting_label, "blue"
    if batch.status == PaymentBatch.Status.PAID:
        return _("Paid"), "green"
    if batch.status == PaymentBatch.Status.EXPORTED:
        return _("Sent to payroll"), "purple"
    return _("Being prepared for payment"), "blue"


class RewardQuerySet(models.QuerySet):
    def payable(self):
        """Lines that carry money: a payment or voucher, not zero."""
        return self.exclude(choice=RewardChoice.NO_PAYMENT).exclude(amount=0)


class Reward(PortalModel):
    """One line of what a confirmed log earns, priced by the rate card in force on the log's date."""

    class Entry(models.TextChoices):
        ORIGINAL = "original", _("Reward")
        REVERSAL = "reversal", _("Reversal of an earlier line")
        REPLACEMENT = "replacement", _("Corrected line")

    log = models.ForeignKey(InvolvementLog, on_delete=models.PROTECT, related_name="rewards")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rewards")
    date = models.DateField(_("date of involvement"))
    entry = models.CharField(max_length=12, choices=Entry.choices, default=Entry.ORIGINAL)
    choice = models.CharField(_("how they are thanked"), max_length=12, choices=RewardChoice.choices)
    level = models.ForeignKey(InvolvementLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rate_card = models.ForeignKey(RateCard, null=True, blank=True, on_delete=models.PROTECT, related_name="rewards")
    rate_line = models.ForeignKey(RateCardLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=10, choices=RateUnit.choices, blank=True)
    unit_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    minutes = models.IntegerField(_("time (minutes)"))
    # What the time is worth under the rate card, and what is owed (nothing when they chose no
    # payment). Reversal lines carry the negatives of the line they reverse.
    value = models.DecimalField(_("value under the rate card (£)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount owed (£)"), max_digits=10, decimal_places=2)
    explanation = models.CharField(max_length=200, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="rewards")

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(choice="no_payment") | Q(amount=0), name="no_payment_owes_nothing"),
            models.CheckConstraint(
                condition=Q(entry="reversal", reverses__isnull=False)
                | (~Q(entry="reversal") & Q(reverses__isnull=True)),
                name="reversal_points_at_what_it_reverses",
            ),
            models.CheckConstraint(condition=~Q(entry="reversal") | ~Q(reason=""), name="correction_has_a_reason"),
        ]
        indexes = [
            models.Index(fields=["member", "date"]),
            # The batch page and payroll file count people and sum money per batch from the index alone.
            models.Index(fields=["batch", "member"], include=["choice", "amount"], name="reward_batch_member"),
        ]

    def __str__(self):
        return f"{self.get_entry_display()}: £{self.amount} for {self.date:%-d %b %Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord("A reward line is never edited. Reverse it and add a corrected line.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("A reward line is never deleted. Reverse it instead.")

    @property
    def hours(self):
        return hours(self.minutes)

    @property
    def status(self) -> tuple[str, str]:
        """(label, tag colour) for the person and for staff."""
        if self.choice == RewardChoice.NO_PAYMENT:
            return _("No payment – your choice"), "grey"
        if self.amount == 0:
            return _("Not paid at this role level"), "grey"
        return _payment_status(self, waiting_label=_("Waiting for payment"))

    @property
    def is_reversed(self) -> bool:
        try:
            return self.reversed_by is not None
        except Reward.DoesNotExist:
            return False


class ExpenseCategory(models.TextChoices):
    FARE = "fare", _("Travel fare (bus, train, tram or taxi)")
    MILEAGE = "mileage", _("Car mileage")
    PARKING = "parking", _("Parking")
    CARER = "carer", _("Carer or support worker (agreed before)")
    HOME = "home", _("Costs of joining from home (for example, phone data)")


RECEIPT_REQUIRED = {ExpenseCategory.FARE, ExpenseCategory.PARKING}


class ExpenseClaim(PortalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not sent yet")
        SUBMITTED = "submitted", _("Waiting for staff to check")
        DECIDED = "decided", _("Checked by staff")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expense_claims")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="expense_claims")
    involvement_point = models.ForeignKey(
        InvolvementPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="expense_claims"
    )
    note = models.TextField(_("what the costs were for"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Expense claim {self.public_id}"

    @property
    def status_colour(self) -> str:
        return {"draft": "grey", "submitted": "blue", "decided": "green"}[self.status]


class ExpenseItem(PortalModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff to check")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("type of cost"), max_length=10, choices=ExpenseCategory.choices)
    date = models.DateField(_("date of the cost"))
    description = models.CharField(_("what it was"), max_length=300)
    miles = models.DecimalField(_("miles"), max_digits=7, decimal_places=1, null=True, blank=True)
    mileage_rate = models.DecimalField(
        _("mileage rate (£ a mile)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("amount (£)"), max_digits=10, decimal_places=2)
    agreed_with = models.CharField(_("who agreed it before"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="expense_items"
    )

    class Meta:
        ordering = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_is_positive"),
            models.CheckConstraint(
                condition=~Q(category="mileage") | Q(miles__gt=0, mileage_rate__isnull=False),
                name="mileage_has_miles_and_rate",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""), name="rejection_has_a_reason"
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(status="approved"), name="only_approved_items_are_paid"
            ),
        ]
        # The batch page finds the people with expenses in a batch from the index alone.
        indexes = [models.Index(fields=["batch", "claim"], name="expense_item_batch_claim")]

    def __str__(self):
        return f"{self.get_category_display()}: £{self.amount}"

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and type(self).objects.filter(pk=self.pk).exclude(status=self.Status.PENDING).exists()
        ):
            raise ImmutableRecord("A decided expense item is never edited.")
        super().save(*args, **kwargs)

    @property
    def status_display(self) -> tuple[str, str]:
        if self.claim.status == ExpenseClaim.Status.DRAFT:
            return _("Not sent yet"), "grey"
        if self.status == self.Status.PENDING:
            return _("Waiting for staff to check"), "blue"
        if self.status == self.Status.REJECTED:
            return _("Not approved"), "red"
        return _payment_status(self, waiting_label=_("Approved – waiting for payment"))

    @property
    def needs_receipt(self) -> bool:
        return self.category in RECEIPT_REQUIRED


def _receipt_storage():
    from recognition.receipts import receipt_storage

    return receipt_storage()


def _receipt_path(instance, filename):
    from recognition.receipts import stored_name

    return stored_name(instance)


class Receipt(PortalModel):
    """A receipt file, kept outside anything the web server serves; read through a checked view."""

    item = models.ForeignKey(ExpenseItem, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(storage=_receipt_storage, upload_to=_receipt_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Receipt {self.public_id}"
