from django.contrib import admin, messages

from open311.keys import api_key_create
from open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
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
