"""Django admin for reporting: administrators look things up here; the portal's pages do the work."""

from django.contrib import admin

from reporting.models import Report, ReportSchedule, ReportSubscription, SelfAssessment, StepScore, WeDid, YouSaid


class SubscriptionInline(admin.TabularInline):
    model = ReportSubscription
    extra = 0
    raw_id_fields = ["user"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "frequency", "starts_on", "is_active"]
    list_filter = ["frequency", "is_active"]
    inlines = [SubscriptionInline]
    raw_id_fields = ["programme", "created_by"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "attempts", "emailed_at", "published_at"]
    list_filter = ["status", "kind"]
    # Produced files, states and email marks are the workers' to set: shown, never edited here.
    readonly_fields = [
        "schedule",
        "programme",
        "kind",
        "period_start",
        "period_end",
        "status",
        "requested_by",
        "enqueued_at",
        "claimed_at",
        "attempts",
        "last_error",
        "built_at",
        "html_file",
        "pdf_file",
        "csv_file",
        "figures",
        "emailed_at",
        "published_at",
        "published_by",
        "published_email_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(YouSaid)
class YouSaidAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "theme", "said_on", "source", "action"]
    list_filter = ["theme", "source"]
    raw_id_fields = ["programme", "project", "involvement_point", "member", "recorded_by", "action"]


@admin.register(WeDid)
class WeDidAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "owner", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["programme", "owner", "created_by"]


class StepScoreInline(admin.TabularInline):
    model = StepScore
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assessed_on"]
    inlines = [StepScoreInline]
    raw_id_fields = ["programme", "assessed_by"]
