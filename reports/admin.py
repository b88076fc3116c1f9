from django.contrib.gis import admin

from communes.access import can
from communes.admin import ScopedAdmin
from geoportal.widgets import MapModelAdmin
from reports.models import Category, Question, Report, ReportUpdate, RoutingRule, Team


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0

    # A category's questions go with the category (its jurisdiction's "category.edit").
    def has_view_permission(self, request, obj=None):
        return can(request.user, "category.edit", obj)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    """The national catalogue (jurisdiction empty) and each jurisdiction's additions."""

    view_action = edit_action = "category.edit"
    national_rows = True
    scope_fields = {"team": None}
    list_display = ["code", "name_fr", "jurisdiction", "group", "sla_hours", "active"]
    list_filter = ["active", "group", "jurisdiction"]
    inlines = [QuestionInline]


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    view_action = edit_action = "team.edit"
    scope_fields = {"team": None}
    list_display = ["name", "jurisdiction", "email"]
    list_filter = ["jurisdiction"]
    filter_horizontal = ["members"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    view_action = edit_action = "routing.edit"
    scope_fields = {"team": None}
    list_display = ["jurisdiction", "category", "area", "team"]
    list_filter = ["jurisdiction"]
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

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the report (ReportAdmin decides) sees its history

    def has_change_permission(self, request, obj=None):
        return False


CONTACT = ["reporter", "reporter_name", "reporter_email", "reporter_phone"]


@admin.register(Report)
class ReportAdmin(ScopedAdmin, MapModelAdmin):
    """Read-mostly: state changes go through the workflow (API), so that they are recorded.
    Rows and fields as in the API: reports of the person's jurisdictions (crews cannot
    log in here), the reporter's contact only to those who hold "report.view_contact",
    the private tracking token never."""

    view_action = "report.view_private"
    edit_action = "report.manage"
    list_display = [
        "reference", "category", "status", "jurisdiction", "team", "commune", "created_at",
        "hidden",
    ]  # fmt: skip
    list_filter = ["status", "jurisdiction", "category", "hidden"]
    list_select_related = ["category", "jurisdiction", "team", "commune"]
    search_fields = ["reference"]
    exclude = ["token"]
    readonly_fields = [
        "reference",
        "jurisdiction",
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
        *CONTACT,
    ]
    raw_id_fields = ["asset", "assignee"]
    inlines = [UpdateInline]

    def get_exclude(self, request, obj=None):
        hidden = ["token"]
        if obj is None or not can(request.user, "report.view_contact", obj):
            hidden += CONTACT
        return hidden

    def get_readonly_fields(self, request, obj=None):
        hidden = set(self.get_exclude(request, obj))
        return [name for name in self.readonly_fields if name not in hidden]

    def has_add_permission(self, request):
        return False  # reports are filed through the API (routing, checks, history)

    def has_delete_permission(self, request, obj=None):
        return False  # a report's history is kept; hide it (moderation) instead
