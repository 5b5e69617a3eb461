"""Django admin for opportunities, applications and population figures.

Equality snapshots are deliberately not here: nobody reads them one by one.
Application answers and access needs are personal data; the admin shows them read-only.
"""

from django.contrib import admin

from people.models import (
    Application,
    ApplicationAnswer,
    ApplicationDecision,
    Opportunity,
    OpportunityQuestion,
    PopulationFigure,
)


class OpportunityQuestionInline(admin.TabularInline):
    model = OpportunityQuestion
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "status", "involvement_level", "is_paid", "format", "places", "closing_date"]
    list_filter = [
        "status",
        "involvement_level",
        "is_paid",
        "format",
        "blind_shortlisting",
        "topics",
        "project__programme",
    ]
    search_fields = ["title", "project__name", "project__programme__name"]
    date_hierarchy = "closing_date"
    raw_id_fields = ["project", "created_by", "shortlisting_done_by"]
    filter_horizontal = ["topics"]
    readonly_fields = [
        "public_id",
        "published_at",
        "closed_at",
        "filled_at",
        "shortlisting_done_at",
        "shortlisting_done_by",
    ]
    inlines = [OpportunityQuestionInline]


class ApplicationAnswerInline(admin.TabularInline):
    model = ApplicationAnswer
    extra = 0
    can_delete = False
    fields = ["question_text", "answer"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationDecisionInline(admin.TabularInline):
    model = ApplicationDecision
    extra = 0
    can_delete = False
    fields = ["at", "outcome", "reason", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: decisions are made in the portal, where reasons and history are kept."""

    list_display = ["__str__", "opportunity", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "opportunity__status", "opportunity__project__programme"]
    search_fields = ["opportunity__title", "applicant__email", "applicant__name"]
    date_hierarchy = "submitted_at"
    inlines = [ApplicationAnswerInline, ApplicationDecisionInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["area_name", "characteristic", "category", "share", "as_of", "source"]
    list_filter = ["area_name", "characteristic", "as_of"]
    search_fields = ["area_name", "category", "source"]
