"""Django admin: administrators keep the rate cards and expense policy (dated versions). Money
records are shown read-only: they change only through the portal's services, which audit them."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from recognition.models import (
    Certificate,
    ExpenseClaim,
    ExpenseItem,
    ExpensePolicy,
    InvolvementLog,
    PaymentBatch,
    RateCard,
    RateCardLine,
    Reward,
    check_rate_lines,
)


class RateCardLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        lines = [
            (form.cleaned_data["level"], form.cleaned_data["unit"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("level")
        ]
        try:
            check_rate_lines(lines)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class RateCardLineInline(admin.TabularInline):
    model = RateCardLine
    formset = RateCardLineFormSet
    extra = 0


class UsedVersionIsReadOnly:
    """A version that has priced money is kept as it was: add a new version instead."""

    def _in_use(self, obj) -> bool:
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self._in_use(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and self._in_use(obj))


@admin.register(RateCard)
class RateCardAdmin(UsedVersionIsReadOnly, admin.ModelAdmin):
    list_display = ["name", "effective_from", "full_day_minutes"]
    inlines = [RateCardLineInline]

    def _in_use(self, obj):
        return obj.is_in_use


@admin.register(ExpensePolicy)
class ExpensePolicyAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "mileage_rate", "claim_window_months", "payment_target_days"]

    def has_change_permission(self, request, obj=None):
        # Mileage on or after a past version's date was priced with it: keep it as it was.
        from django.utils import timezone

        if (
            obj is not None
            and obj.effective_from <= timezone.localdate()
            and ExpenseItem.objects.filter(category="mileage", date__gte=obj.effective_from).exists()
        ):
            return False
        return super().has_change_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvolvementLog)
class InvolvementLogAdmin(ReadOnlyAdmin):
    list_display = ["date", "member", "project", "activity", "minutes", "status", "source"]
    list_filter = ["status", "source", "activity"]
    search_fields = ["project__name"]
    list_select_related = ["member", "project"]


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    list_display = ["date", "member", "entry", "choice", "amount", "batch"]
    list_filter = ["entry", "choice"]
    list_select_related = ["member", "batch"]


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "member", "project", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["member", "project"]


@admin.register(ExpenseItem)
class ExpenseItemAdmin(ReadOnlyAdmin):
    list_display = ["date", "category", "amount", "status", "batch"]
    list_filter = ["status", "category"]
    list_select_related = ["batch"]
    exclude = ["description", "agreed_with"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["reference", "up_to", "status", "built_by", "built_at", "exported_at", "paid_at"]
    list_filter = ["status"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "hours", "period_start", "period_end", "issued_at"]
