"""Django admin for profiles, lived experience tags, consent and deletion requests.

Deliberately NOT registered:
- `EqualityMonitoring`: equality answers are never shown one person at a time, to anyone but their
  owner. No list, no detail page, no export here; reports show suppressed totals only.
- `AccessNeeds`: special category data, seen only by the person and by staff on a project they take
  part in (flagged on the project's pages). An administrator has no need to browse them.
The profile admin below leaves both out too (no inlines).
"""

from django.contrib import admin

from people.models.profiles import Consent, DeletionRequest, LivedExperienceTag, Profile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Kept records: administrators may look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LivedExperienceTag)
class LivedExperienceTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "active"]

    def has_delete_permission(self, request, obj=None):
        # Members and opportunities point at tags: retire one by unticking "offer this to members".
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "payment_preference", "completed_at", "updated_at"]
    list_filter = ["payment_preference", "contact_by_email", "contact_by_phone", "contact_by_post"]
    search_fields = ["user__name", "user__email"]
    filter_horizontal = ["lived_experience"]
    readonly_fields = ["user", "completed_at", "happy_to_be_contacted", "created_at", "updated_at"]
    fields = [
        "user",
        "preferred_name",
        "pronouns",
        ("contact_by_email", "contact_by_phone", "contact_by_post"),
        "phone",
        "postal_address",
        "lived_experience",
        "payment_preference",
        "happy_to_be_contacted",
        "completed_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False  # made when the member first visits their profile


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "action", "privacy_notice_version", "recorded_at"]
    list_filter = ["action", "privacy_notice_version"]
    search_fields = ["user__email"]
    date_hierarchy = "recorded_at"


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "user", "requested_at", "erase_after", "cancelled_at", "completed_at"]
    list_filter = ["completed_at", "cancelled_at"]
    date_hierarchy = "requested_at"
