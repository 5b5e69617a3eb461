from django.contrib import admin

from programmes import champion_admin  # noqa: F401  (commitments and sign-off requests)
from programmes.models import (
    InvolvementLevel,
    InvolvementPoint,
    Participant,
    PartnerOrganisation,
    Programme,
    Project,
    TeamMembership,
)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "status", "start_date", "end_date"]
    list_filter = ["status", "partner"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]


class InvolvementPointInline(admin.TabularInline):
    model = InvolvementPoint
    extra = 0
    fields = ["title", "stage", "ladder_level", "planned_date", "format", "status"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "stage", "status", "lead"]
    list_filter = ["stage", "status", "programme__partner"]
    search_fields = ["name", "programme__name"]
    inlines = [InvolvementPointInline]


@admin.register(InvolvementPoint)
class InvolvementPointAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "stage", "ladder_level", "planned_date", "status"]
    list_filter = ["stage", "ladder_level", "status", "format"]
    search_fields = ["title", "project__name"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["member", "project", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["project__name"]


@admin.register(InvolvementLevel)
class InvolvementLevelAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
