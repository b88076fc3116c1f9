"""The admin, scoped like the API: each model names the action that lets a person see
and change its rows (communes.access), and querysets are narrowed by the same rule.
Django's model permissions (groups) play no part."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from communes.access import can, scope, scope_q
from communes.api import NATIONAL
from communes.models import Jurisdiction, Membership


class ScopedAdmin(admin.ModelAdmin):
    """`view_action` to see a row, `edit_action` to add, change or delete it; rows are
    those of the person's jurisdictions (`national_rows`: plus national ones, read-only
    unless the person holds the action nationally)."""

    view_action = ""
    edit_action = ""
    national_rows = False
    scope_fields: dict = {}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        q = scope_q(request.user, self.view_action, **self.scope_fields)
        if q is None:
            return queryset
        if self.national_rows:
            field = self.scope_fields.get("jurisdiction", "jurisdiction")
            q |= Q(**{f"{field}__isnull": True})
        return queryset.filter(q)

    def has_module_permission(self, request):
        return can(request.user, self.view_action)

    def has_view_permission(self, request, obj=None):
        return can(request.user, self.view_action, obj) or (
            obj is not None and self.national_rows and _national(obj)
        )

    def has_add_permission(self, request):
        return can(request.user, self.edit_action)

    def has_change_permission(self, request, obj=None):
        return can(request.user, self.edit_action, obj)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, self.edit_action, obj)

    def save_model(self, request, obj, form, change):
        # The form may name another (or no) jurisdiction: check the row as it will be saved.
        if not can(request.user, self.edit_action, obj):
            raise PermissionDenied(f"Your role does not allow {self.edit_action} there.")
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A local administrator files things under their own jurisdictions only.
        if db_field.name == "jurisdiction" and self.edit_action:
            kwargs["queryset"] = scope(
                Jurisdiction.objects.all(), request.user, self.edit_action, jurisdiction="pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _national(obj) -> bool:
    return getattr(obj, "jurisdiction_id", 0) is None


@admin.register(Jurisdiction)
class JurisdictionAdmin(ScopedAdmin):
    view_action = edit_action = "jurisdiction.edit"
    scope_fields = {"jurisdiction": "pk", "team": None}
    list_display = ["slug", "name_fr", "open311_id", "pcodes", "is_default"]
    search_fields = ["slug", "name_fr", "pcodes"]

    def has_add_permission(self, request):
        return can(request.user, "jurisdiction.edit", NATIONAL)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "jurisdiction.edit", NATIONAL)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Administrators give roles in their own jurisdictions (national ones: everywhere)."""

    view_action = edit_action = "jurisdiction.edit"
    scope_fields = {"team": None}
    list_display = ["user", "jurisdiction", "role"]
    list_filter = ["role", "jurisdiction"]
    raw_id_fields = ["user"]
