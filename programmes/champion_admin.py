"""Django admin for champion commitments and sign-off requests. Imported by programmes/admin.py.

Decisions are made in the portal, where each step keeps its history and audit entry; here the
status and decision fields, and the history itself, are read-only.
"""

from django.contrib import admin

from programmes.models import ChampionCommitment, LeaderDecision, SignOffRequest


class LeaderDecisionInline(admin.TabularInline):
    model = LeaderDecision
    fields = ["at", "action", "by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommitmentInline(LeaderDecisionInline):
    fk_name = "commitment"


class SignOffInline(LeaderDecisionInline):
    fk_name = "sign_off_request"


DECISION_FIELDS = ["public_id", "status", "requested_by", "decided_at", "decision_reason", "created_at", "updated_at"]


@admin.register(ChampionCommitment)
class ChampionCommitmentAdmin(admin.ModelAdmin):
    list_display = ["leader", "scope", "status", "review_date", "created_at"]
    list_filter = ["status"]
    search_fields = ["leader__name", "leader__email", "programme__name", "pledge"]
    list_select_related = ["leader", "programme"]
    raw_id_fields = ["leader", "programme"]
    readonly_fields = [*DECISION_FIELDS, "request_message", "reminder_sent_for"]
    inlines = [CommitmentInline]

    @admin.display(description="For")
    def scope(self, obj):
        return obj.scope_label

    def has_add_permission(self, request):
        return False  # made or asked for in the portal, so the history starts there


@admin.register(SignOffRequest)
class SignOffRequestAdmin(admin.ModelAdmin):
    list_display = ["programme", "leader", "requested_by", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["programme__name", "leader__name", "leader__email"]
    list_select_related = ["programme", "leader", "requested_by"]
    raw_id_fields = ["programme", "leader"]
    readonly_fields = [*DECISION_FIELDS, "message"]
    inlines = [SignOffInline]

    def has_add_permission(self, request):
        return False
