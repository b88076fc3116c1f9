from django.contrib.gis import admin

from geoportal.widgets import MapModelAdmin
from reports.models import Category, Question, Report, ReportUpdate, RoutingRule, Team


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "group", "sla_hours", "duplicate_radius_m", "active"]
    list_filter = ["active", "group"]
    inlines = [QuestionInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    filter_horizontal = ["members"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "area", "team"]
    raw_id_fields = ["area"]


class UpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "kind",
        "actor",
        "from_status",
        "to_status",
        "public_note",
        "internal_note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(MapModelAdmin):
    """Read-mostly: state changes go through the workflow (API), so that they are recorded."""

    list_display = ["reference", "category", "status", "team", "commune", "created_at", "hidden"]
    list_filter = ["status", "category", "hidden"]
    search_fields = ["reference"]
    readonly_fields = [
        "reference",
        "token",
        "status",
        "version",
        "support_count",
        "section",
        "commune",
        "departement",
        "created_at",
        "resolved_at",
        "closed_at",
        "duplicate_of",
        "hidden",
        "hidden_reason",
    ]
    raw_id_fields = ["asset", "assignee", "reporter"]
    inlines = [UpdateInline]
