from django.contrib.gis import admin

from layers.models import AdminArea, DatasetLoad


@admin.register(AdminArea)
class AdminAreaAdmin(admin.GISModelAdmin):
    list_display = ("pcode", "name_fr", "level", "parent_pcode", "population", "derived")
    list_filter = ("level", "derived")
    search_fields = ("pcode", "name_fr", "name_ht", "name_en")
    readonly_fields = ("geom_low", "geom_mid", "geom_high", "area_km2", "updated_at")
    exclude = ("parent",)


@admin.register(DatasetLoad)
class DatasetLoadAdmin(admin.ModelAdmin):
    list_display = ("key", "loaded_at", "checksum")
    readonly_fields = ("key", "checksum", "loaded_at", "summary")
