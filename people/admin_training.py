"""Django admin for courses, training sessions (with their bookings) and training records.

Booking and attendance changes that email people or move the waiting list belong in the portal's
own pages (people/training.py); here administrators correct records. Certificates are not shown:
they are read through the portal's permission-checked view.
"""

from django.contrib import admin
from django.db import models

from people.models.training import Course, TrainingBooking, TrainingRecord, TrainingSession


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "audience", "format", "valid_for_months", "required_for", "is_active"]
    list_filter = ["audience", "format", "required_for", "is_active"]
    search_fields = ["title", "code", "provider"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class TrainingBookingInline(admin.TabularInline):
    model = TrainingBooking
    extra = 0
    fields = ["person", "status", "queued_at", "cancelled_at"]
    raw_id_fields = ["person"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_at", "places", "organiser", "attendance_marked_at"]
    list_filter = ["course"]
    search_fields = ["course__title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organiser", "attendance_marked_by"]
    list_select_related = ["course", "organiser"]
    readonly_fields = ["public_id", "attendance_marked_at", "attendance_marked_by"]
    inlines = [TrainingBookingInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "completed_on", "expires_on", "evidence", "recorded_by"]
    list_filter = ["course", "evidence"]
    search_fields = ["person__name", "person__email", "course__title", "course__code"]
    date_hierarchy = "completed_on"
    raw_id_fields = ["person", "session", "recorded_by"]
    list_select_related = ["person", "course", "recorded_by"]
    exclude = ["certificate_file"]
    readonly_fields = [
        "public_id",
        "certificate_name",
        "certificate_content_type",
        "expiry_reminder_sent_at",
        "lapse_notice_sent_at",
    ]
