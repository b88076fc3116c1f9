from django import forms
from django.contrib.gis import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from communes.access import can, scope_q
from communes.admin import ScopedAdmin
from geoportal.widgets import MapModelAdmin
from layers.geometry import GeometryError
from layers.models import AdminArea, BoundaryGeneration, DatasetLoad, Feature, Layer
from layers.schema import SchemaError, clean_attributes
from layers.selectors.generations import current_generation_id
from layers.services.features import assign_areas, bump_version, clean_geometry, feature_delete


class NationalDataAdmin(MapModelAdmin):
    """Boundaries and data set loads are national: national GIS editors and
    administrators change them; every admin user may look."""

    def has_module_permission(self, request):
        return can(request.user, "admin.login")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "admin.login")

    def has_add_permission(self, request):
        return can(request.user, "layer.edit", NATIONAL_DATA)

    def has_change_permission(self, request, obj=None):
        return can(request.user, "layer.edit", NATIONAL_DATA)

    has_delete_permission = has_change_permission


class _National:
    jurisdiction_id = None


NATIONAL_DATA = _National()


@admin.register(AdminArea)
class AdminAreaAdmin(NationalDataAdmin):
    list_display = (
        "pcode", "name_fr", "level", "parent_pcode", "population", "derived", "generation",
    )  # fmt: skip
    list_filter = ("generation", "level", "derived")
    search_fields = ("pcode", "name_fr", "name_ht", "name_en")
    readonly_fields = (
        "generation", "geom_low", "geom_mid", "geom_high", "area_km2", "updated_at",
    )  # fmt: skip
    exclude = ("parent",)

    def _is_past(self, obj) -> bool:
        # Areas of an older generation are what reports were filed in (the database
        # refuses the change too).
        return obj is not None and obj.generation_id != current_generation_id()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_past(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_past(obj)


@admin.register(BoundaryGeneration)
class BoundaryGenerationAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "source", "release", "valid_from", "loaded_at")
    readonly_fields = ("name", "source", "release", "valid_from", "loaded_at", "checksum")

    def has_add_permission(self, request):
        return False  # generations are made by load_boundaries


@admin.register(DatasetLoad)
class DatasetLoadAdmin(NationalDataAdmin):
    list_display = ("key", "loaded_at", "checksum")
    readonly_fields = ("key", "checksum", "loaded_at", "summary")


class FeatureForm(forms.ModelForm):
    """Geometry and attributes checked at the door, as in the API."""

    class Meta:
        model = Feature
        fields = ("layer", "geom", "attributes", "external_id", "condition")

    def clean(self):
        cleaned = super().clean()
        layer, geom = cleaned.get("layer"), cleaned.get("geom")
        if layer is None:
            return cleaned
        if geom is not None:
            try:
                cleaned["geom"] = clean_geometry(layer, geom)
            except GeometryError as exc:
                self.add_error("geom", str(exc))
        try:
            cleaned["attributes"] = clean_attributes(layer.schema, cleaned.get("attributes") or {})
        except SchemaError as exc:
            self.add_error("attributes", str(exc))
        return cleaned


@admin.register(Layer)
class LayerAdmin(ScopedAdmin):
    view_action = edit_action = "layer.edit"
    national_rows = True
    scope_fields = {"team": None}
    list_display = ("slug", "title", "jurisdiction", "geometry_type", "visibility", "version")
    list_filter = ("visibility", "geometry_type", "jurisdiction")
    search_fields = ("slug", "title")
    readonly_fields = ("version", "created_at", "updated_at")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Feature)
class FeatureAdmin(ScopedAdmin, MapModelAdmin):
    """Features of the layers the person edits (their jurisdictions' and, nationally,
    the national ones)."""

    view_action = edit_action = "layer.edit"
    scope_fields = {"jurisdiction": "layer__jurisdiction", "team": None}
    form = FeatureForm
    list_display = ("id", "layer", "external_id", "condition", "area", "updated_at")
    list_filter = ("layer", "condition")
    search_fields = ("external_id",)
    list_select_related = ("layer", "area")
    readonly_fields = ("area", "created_at", "updated_at")
    raw_id_fields = ()

    def get_queryset(self, request):
        queryset = admin.GISModelAdmin.get_queryset(self, request)
        q = scope_q(request.user, "layer.edit", **self.scope_fields)
        return queryset if q is None else queryset.filter(q)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "layer":
            q = scope_q(request.user, "layer.edit", team=None)
            kwargs["queryset"] = Layer.objects.filter(q) if q is not None else Layer.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not can(request.user, "layer.edit", obj.layer):
            raise PermissionDenied(f"Your role does not allow editing layer {obj.layer}.")
        with transaction.atomic():
            obj.save()
            assign_areas(layer_id=obj.layer_id, ids=[obj.pk])
            bump_version(obj.layer_id)
            if change and "layer" in form.changed_data and form.initial.get("layer"):
                bump_version(form.initial["layer"])

    def delete_model(self, request, obj):
        feature_delete(feature=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            layer_ids = set(queryset.values_list("layer_id", flat=True))
            queryset.delete()
            for layer_id in layer_ids:
                bump_version(layer_id)
