from django.contrib import admin

from analytics.models import RasterLayer, SpatialWeights
from communes.access import can
from communes.api import NATIONAL


class NationalAnalyticsAdmin(admin.ModelAdmin):
    """Rasters and spatial weights are national: "raster.view" to look, "raster.edit"
    nationally to change."""

    def has_module_permission(self, request):
        return can(request.user, "raster.view", NATIONAL)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return can(request.user, "raster.edit", NATIONAL)


@admin.register(RasterLayer)
class RasterLayerAdmin(NationalAnalyticsAdmin):
    """Rasters enter only through the validating upload (API or `load_raster`) and leave
    through the API's delete; here staff can correct their description."""

    list_display = ("slug", "title", "kind", "unit", "width", "height", "epsg", "created_at")
    list_filter = ("kind",)
    search_fields = ("slug", "title")
    fields = ("slug", "title", "description", "kind", "unit", "source", "licence", "attribution",
              "path", "sha256", "size_bytes", "width", "height", "dtype", "nodata", "epsg",
              "pixel_width", "pixel_height", "crs_wkt", "uploaded_by", "created_at")  # fmt: skip
    readonly_fields = ("slug", "path", "sha256", "size_bytes", "width", "height", "dtype", "nodata",
                       "epsg", "pixel_width", "pixel_height", "crs_wkt", "uploaded_by", "created_at")  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the API's delete also removes the file


@admin.register(SpatialWeights)
class SpatialWeightsAdmin(NationalAnalyticsAdmin):
    list_display = ("level", "signature", "computed_at")
    readonly_fields = ("level", "signature", "neighbours", "islands_linked", "computed_at")

    def has_add_permission(self, request):
        return False
