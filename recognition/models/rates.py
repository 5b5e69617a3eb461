"""Rate cards and the expense policy: dated data an administrator keeps in the Django admin.

Nothing here is a constant in code. A new rate or mileage rate is a new version with the date it
takes effect; older versions stay, so every reward and expense is priced by the version in force on
its own date.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.models import PortalModel
from programmes.models import InvolvementLevel
from recognition.money import ZERO, to_money


class RateUnit(models.TextChoices):
    HOUR = "hour", _("Per hour")
    HALF_DAY = "half_day", _("Half day (under the full-day threshold, 4 hours by default)")
    FULL_DAY = "full_day", _("Full day (the full-day threshold or more, 4 hours by default)")
    ITEM = "item", _("Per item (a fixed amount for each confirmed log)")


SESSION_UNITS = {RateUnit.HALF_DAY, RateUnit.FULL_DAY}


class DatedQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The version in force on `day`: the latest that took effect on or before it."""
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


@dataclass(frozen=True)
class Price:
    """What a stretch of time is worth under one rate card line."""

    line: "RateCardLine | None"
    unit: str
    unit_amount: Decimal | None
    value: Decimal
    explanation: str


class RateCard(PortalModel):
    """One version of the rate card: what each role level earns, from a date."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example: Rate card from April 2026."))
    effective_from = models.DateField(_("takes effect on"), unique=True)
    full_day_minutes = models.PositiveIntegerField(
        _("full day starts at (minutes)"),
        default=240,
        validators=[MinValueValidator(1)],
        help_text=_("Time at or above this is paid at the full-day rate, below it at the half-day rate."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Where the rates come from, who agreed them."))

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} (from {self.effective_from:%-d %B %Y})"

    @property
    def is_in_use(self) -> bool:
        return self.rewards.exists()

    def lines_for(self, level) -> dict:
        """{unit: line} for one level. Uses prefetched lines when the caller prefetched them."""
        return {line.unit: line for line in self.lines.all() if level is not None and line.level_id == level.pk}

    def price(self, *, level, minutes: int) -> Price:
        """What `minutes` at `level` earn under this card.

        A level is paid one way: per item, by the session (half or full day), or by the hour.
        """
        lines = self.lines_for(level)
        if level is None:
            return Price(None, "", None, ZERO, "No role level is set, so there is no payment.")
        if not lines:
            return Price(None, "", None, ZERO, f"{level} is not paid under this rate card.")
        if RateUnit.ITEM in lines:
            line = lines[RateUnit.ITEM]
            return Price(line, line.unit, line.amount, to_money(line.amount), f"£{line.amount} for each item.")
        if SESSION_UNITS & set(lines):
            full = minutes >= self.full_day_minutes
            wanted, other = (RateUnit.FULL_DAY, RateUnit.HALF_DAY) if full else (RateUnit.HALF_DAY, RateUnit.FULL_DAY)
            line = lines.get(wanted) or lines[other]
            label = "full day" if line.unit == RateUnit.FULL_DAY else "half day"
            return Price(line, line.unit, line.amount, to_money(line.amount), f"£{line.amount} for a {label}.")
        line = lines[RateUnit.HOUR]
        value = to_money(Decimal(minutes) * line.amount / 60)
        return Price(line, line.unit, line.amount, value, f"£{line.amount} an hour.")


class RateCardLine(models.Model):
    rate_card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="lines")
    level = models.ForeignKey(
        InvolvementLevel, verbose_name=_("role level"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(_("unit"), max_length=10, choices=RateUnit.choices)
    amount = models.DecimalField(_("amount (£)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["level__number", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["rate_card", "level", "unit"], name="one_rate_per_level_and_unit"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rate_is_not_negative"),
        ]

    def __str__(self):
        return f"{self.level}: £{self.amount} ({self.get_unit_display()})"


def check_rate_lines(lines) -> None:
    """A level is paid one way only. `lines` are (level, unit) pairs; raises ValidationError."""
    ways = {}
    for level, unit in lines:
        way = "session" if unit in SESSION_UNITS else unit
        ways.setdefault(level, set()).add(way)
    mixed = sorted(str(level) for level, found in ways.items() if len(found) > 1)
    if mixed:
        raise ValidationError(
            _("Pay each level one way only (per hour, per session or per item): %(levels)s"),
            params={"levels": ", ".join(mixed)},
        )


class ExpensePolicy(PortalModel):
    """One version of the expenses policy, from a date. Field defaults are only the first version's
    values (seeded by a data migration); the administrator changes them by adding a new version."""

    effective_from = models.DateField(_("takes effect on"), unique=True)
    mileage_rate = models.DecimalField(
        _("car mileage rate (£ per mile)"), max_digits=10, decimal_places=2, default=Decimal("0.45")
    )
    claim_window_months = models.PositiveSmallIntegerField(
        _("claims allowed for costs up to this many months old"), default=3, validators=[MinValueValidator(1)]
    )
    payment_target_days = models.PositiveSmallIntegerField(
        _("target days from claim to payment"), default=21, validators=[MinValueValidator(1)]
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "expense policies"
        constraints = [models.CheckConstraint(condition=Q(mileage_rate__gte=0), name="mileage_rate_not_negative")]

    def __str__(self):
        return f"Expenses policy from {self.effective_from:%-d %B %Y}"

    @classmethod
    def in_force_on(cls, day) -> "ExpensePolicy":
        """The version in force on `day`; with none recorded, an unsaved one with the first defaults."""
        return cls.objects.in_force_on(day) or cls(effective_from=day)

    @classmethod
    def current(cls) -> "ExpensePolicy":
        return cls.in_force_on(timezone.localdate())
