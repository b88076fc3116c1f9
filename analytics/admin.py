from django.contrib import admin

from analytics.models import RasterLayer, SpatialWeights


@admin.register(RasterLayer)
class RasterLayerAdmin(admin.ModelAdmin):
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
class SpatialWeightsAdmin(admin.ModelAdmin):
    list_display = ("level", "signature", "computed_at")
    readonly_fields = ("level", "signature", "neighbours", "islands_linked", "computed_at")

    def has_add_permission(self, request):
        return False
