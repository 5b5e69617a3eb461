from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from coproduction.models import AuditEntry, Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "date_joined", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    readonly_fields = ["public_id", "date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name", "public_id"]}),
        ("Roles and access", {"fields": ["is_active", "groups", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "name"]
    readonly_fields = ["token", "accepted_at", "accepted_by", "invited_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is kept, never edited."""

    list_display = ["occurred_at", "action", "actor", "subject_type", "subject_id", "ip_address"]
    list_filter = ["action"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
