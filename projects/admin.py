"""Public works in the Django admin, scoped like the API (`project.edit`: administrators
and planners of the project's town hall). The app's own pages (/manage/projects/) are
where staff work; the admin is for looking up and correcting."""

from django.contrib import admin

from communes.access import can, jurisdiction_ids
from communes.admin import ScopedAdmin
from projects.models import FundingSource, Project


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    view_action = edit_action = "project.edit"
    scope_fields = {"team": None}
    list_display = ["slug", "title_fr", "jurisdiction", "sector", "status", "percent_complete",
                    "planned_start", "planned_end", "sample"]  # fmt: skip
    list_filter = ["status", "sector", "sample", "jurisdiction"]
    search_fields = ["slug", "title_fr", "contractor"]
    # Geometry and status change through the services (checked shapes, the workflow).
    readonly_fields = ["geom", "status"]
    exclude = ["areas"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    """Funding sources are national: seen by project editors, changed by national ones."""

    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]

    def has_module_permission(self, request):
        return can(request.user, "project.edit")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "project.edit")

    def has_change_permission(self, request, obj=None):
        return jurisdiction_ids(request.user, "project.edit") is None

    has_delete_permission = has_change_permission

    def has_add_permission(self, request):
        return jurisdiction_ids(request.user, "project.edit") is None
