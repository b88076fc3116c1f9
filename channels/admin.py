"""Gateways are configured by the administrators of their jurisdiction (POLICY
"gateway.edit"); credentials are write-only in the list. The block list and opt-outs are
national (a number is a person, not a town)."""

from django.contrib import admin

from channels.models import BlockedNumber, Gateway, OptOut, OutboundMessage
from communes.access import can
from communes.admin import ScopedAdmin


@admin.register(Gateway)
class GatewayAdmin(ScopedAdmin):
    view_action = edit_action = "gateway.edit"
    scope_fields = {"team": None}
    list_display = ["kind", "number", "jurisdiction", "active", "daily_cap", "key"]
    list_filter = ["kind", "active"]
    readonly_fields = ["key"]


class NumbersAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return can(request.user, "gateway.edit")

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: can(request.user, "gateway.edit")
    )
    has_delete_permission = has_change_permission


@admin.register(BlockedNumber)
class BlockedNumberAdmin(NumbersAdmin):
    list_display = ["phone", "reason", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


@admin.register(OptOut)
class OptOutAdmin(NumbersAdmin):
    list_display = ["phone", "keyword", "created_at"]

    def has_add_permission(self, request):
        return False  # only the person, by writing STOP


@admin.register(OutboundMessage)
class OutboundMessageAdmin(NumbersAdmin):
    list_display = ["phone", "state", "response_code", "created_at", "sent_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False
