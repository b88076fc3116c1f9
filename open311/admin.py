from django.contrib import admin, messages

from communes.access import can
from communes.api import NATIONAL
from open311.keys import api_key_create
from open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys act for the whole service: national administrators issue them."""

    def has_module_permission(self, request):
        return can(request.user, "apikey.edit", NATIONAL)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return can(request.user, "apikey.edit", NATIONAL)

    def has_change_permission(self, request, obj=None):
        return can(request.user, "apikey.edit", NATIONAL)

    has_delete_permission = has_change_permission

    list_display = ["name", "prefix", "user", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = api_key_create(name=obj.name, user=obj.user)
        obj.pk = key.pk
        messages.warning(
            request, f"The key of {key.name} is {raw} — copy it now; it is not stored."
        )
