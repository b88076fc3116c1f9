from django.contrib import admin

from communes.admin import ScopedAdmin
from webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(ScopedAdmin):
    """Administrators of the endpoint's jurisdiction (POLICY "webhook.edit")."""

    view_action = edit_action = "webhook.edit"
    scope_fields = {"team": None}
    list_display = ["url", "jurisdiction", "events", "internal", "active", "failures"]
    list_filter = ["active", "internal"]

    def save_model(self, request, obj, form, change):
        obj.owner = obj.owner or request.user
        if obj.active:
            obj.failures, obj.disabled_reason = 0, ""
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin):
    view_action = edit_action = "webhook.edit"
    scope_fields = {"jurisdiction": "endpoint__jurisdiction", "team": None}
    list_display = ["pk", "endpoint", "event", "attempts", "response_codes", "delivered_at"]

    def has_add_permission(self, request):
        return False
