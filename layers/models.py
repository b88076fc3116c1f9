from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.db.models import F, Func, Q
from django.db.models.lookups import In

from layers.levels import Level

# What a feature may be: a simple geometry (layers.geometry.SIMPLE_TYPES), never a
# collection, which tiles, exports and the features page cannot take.
SIMPLE_GEOMETRY_TYPES = [
    "POINT",
    "MULTIPOINT",
    "LINESTRING",
    "MULTILINESTRING",
    "POLYGON",
    "MULTIPOLYGON",
]


class BoundaryGeneration(models.Model):
    """One release of the boundaries (as MapIt's generations). Every area belongs to one;
    the newest is current and the only one that can change: older ones are kept as they
    were, read-only (a database trigger refuses any change), so that reports keep the
    areas they were filed in. P-codes are unique within a generation."""

    name = models.CharField(max_length=200)
    source = models.CharField(max_length=100, blank=True, help_text="Data set key or file.")
    release = models.CharField(max_length=100, blank=True, help_text="The publisher's release.")
    valid_from = models.DateField(help_text="The date from which these boundaries apply.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="Of the loaded release.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.name}"


def current_generation_id() -> int:
    """The default generation of an area created without one: the current generation
    (the first one is made when the database has none)."""
    from layers.selectors.generations import current_generation_or_first

    return current_generation_or_first().pk


class AdminArea(models.Model):
    """An administrative area (département, commune, section communale, ...).

    `geom` is the full-detail boundary; `geom_low`, `geom_mid` and `geom_high` are
    simplified once at load time for national, regional and local maps.
    """

    generation = models.ForeignKey(
        BoundaryGeneration,
        on_delete=models.PROTECT,
        related_name="areas",
        default=current_generation_id,
    )
    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    pcode = models.CharField(max_length=20)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    parent_pcode = models.CharField(max_length=20, blank=True, db_index=True)
    name_fr = models.CharField(max_length=200)
    name_ht = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    derived = models.BooleanField(
        default=False, help_text="Built from its children (no published boundary or name)."
    )
    geom = models.MultiPolygonField(srid=4326)
    geom_low = models.MultiPolygonField(srid=4326, null=True, blank=True)
    geom_mid = models.MultiPolygonField(srid=4326, null=True, blank=True)
    geom_high = models.MultiPolygonField(srid=4326, null=True, blank=True)
    # The outline and its generalised copies: what a read that needs only names, codes and
    # levels defers (a département's outline is megabytes of GEOS parsing).
    POLYGONS = ("geom", "geom_low", "geom_mid", "geom_high")
    area_km2 = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Data set key.")
    valid_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pcode"]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="adminarea_geom_valid"),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="adminarea_level_known"
            ),
            models.CheckConstraint(condition=~Q(pcode=""), name="adminarea_pcode_not_empty"),
            models.UniqueConstraint(
                fields=["generation", "pcode"], name="adminarea_pcode_unique_in_generation"
            ),
        ]
        indexes = [models.Index(fields=["generation", "level"], name="adminarea_generation_level")]

    def __str__(self) -> str:
        return f"{self.pcode} {self.name_fr}"

    def name(self, language: str = "fr") -> str:
        return getattr(self, f"name_{language}", "") or self.name_fr


class AdminAreaPart(models.Model):
    """A piece of an area's boundary cut by ST_Subdivide: small, well-indexed boxes keep
    point-in-polygon fast even for huge detailed polygons (as MapIt does)."""

    area = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="parts")
    # A copy of the area's generation: one GiST index on (generation, geom) (btree_gist)
    # finds the pieces of the asked generation only.
    generation = models.ForeignKey(
        BoundaryGeneration,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        default=current_generation_id,
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    geom = models.PolygonField(srid=4326, spatial_index=False)

    class Meta:
        indexes = [
            models.Index(fields=["level"], name="adminareapart_level"),
            GistIndex(fields=["generation", "geom"], name="adminareapart_generation_geom"),
        ]


class DatasetLoad(models.Model):
    """Provenance: which catalogued data set was loaded, from which files, when."""

    key = models.CharField(max_length=100, unique=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.key


class Layer(models.Model):
    """An infrastructure layer (schools, water points, ...): metadata, schema and style."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        STAFF = "staff", "Staff only"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    jurisdiction = models.ForeignKey(
        "communes.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="layers",
        help_text="Empty: a national layer (edited by national GIS editors only).",
    )
    description = models.TextField(blank=True)
    geometry_type = models.CharField(max_length=30, default="Point")
    schema = models.JSONField(
        default=list, blank=True, help_text="[{name, type, label, private}] of the attributes"
    )
    style = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=300, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    version = models.PositiveIntegerField(default=1, help_text="Changes whenever its data does.")
    point_min_zoom = models.PositiveSmallIntegerField(
        default=10, help_text="Map zoom from which points are drawn one by one (clustered below)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(point_min_zoom__lte=22), name="layer_min_zoom_range")
        ]

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        from layers.schema import SchemaError, check_schema

        if self.slug.startswith("areas-"):  # the tile and OGC names of boundary levels
            raise ValidationError({"slug": "slugs starting with 'areas-' are reserved"})
        try:
            check_schema(self.schema)
        except SchemaError as exc:
            raise ValidationError({"schema": str(exc)}) from exc

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class Feature(models.Model):
    """A feature of a layer; `attributes` are validated against the layer's schema."""

    class Condition(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        WORKING = "working", "Working"
        DAMAGED = "damaged", "Damaged"
        BROKEN = "broken", "Broken"

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="features")
    geom = models.GeometryField(srid=4326)
    attributes = models.JSONField(default=dict, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    area = models.ForeignKey(
        AdminArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="features",
        help_text="The deepest administrative area it falls in.",
    )
    condition = models.CharField(
        max_length=20, choices=Condition.choices, default=Condition.UNKNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["layer", "id"], name="feature_layer_id"),
            GinIndex(
                fields=["attributes"], name="feature_attributes", opclasses=["jsonb_path_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="feature_geom_valid"),
            models.CheckConstraint(
                condition=In(
                    Func(F("geom"), function="GeometryType", output_field=models.CharField()),
                    SIMPLE_GEOMETRY_TYPES,
                ),
                name="feature_geom_simple_type",
            ),
            models.UniqueConstraint(
                fields=["layer", "external_id"],
                condition=~Q(external_id=""),
                name="feature_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.layer_id}:{self.external_id or self.pk}"
