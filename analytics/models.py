from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q

from layers.levels import Level


class RasterLayer(models.Model):
    """A single-band GeoTIFF (population grid, flood depth, elevation) kept on disk and
    described here; only files that passed `analytics.services.rasters` validation."""

    class Kind(models.TextChoices):
        POPULATION = "population", "Population (people per cell)"
        FLOOD = "flood", "Flood depth or hazard"
        ELEVATION = "elevation", "Elevation"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    unit = models.CharField(max_length=50, blank=True)
    path = models.CharField(max_length=500, help_text="File name inside the raster folder.")
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    dtype = models.CharField(max_length=20)
    nodata = models.FloatField(null=True, blank=True)
    crs_wkt = models.TextField()
    epsg = models.PositiveIntegerField(null=True, blank=True)
    pixel_width = models.FloatField()
    pixel_height = models.FloatField()
    extent = models.PolygonField(srid=4326, help_text="The grid's footprint in EPSG:4326.")
    source = models.CharField(max_length=300, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["population", "flood", "elevation", "other"]),
                name="rasterlayer_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0), name="rasterlayer_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class SpatialWeights(models.Model):
    """Contiguity (queen) neighbours of every area of a level, computed once in PostGIS and
    reused until the level's boundaries change (`signature`)."""

    level = models.CharField(max_length=20, choices=Level.choices, unique=True)
    signature = models.CharField(max_length=64)
    neighbours = models.JSONField(help_text="{pcode: [neighbour pcodes]}")
    islands_linked = models.JSONField(
        default=list, help_text="Areas with no contiguous neighbour, linked to the nearest one."
    )
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"weights {self.level}"


class RatesCell(models.Model):
    """The rates rollup (analytics.rollup): per section and grouping (everything, by
    category, by status, by category and status, by month created), the counts that the
    rates analysis sums and sparse histograms for its percentiles. Rebuilt per section by
    the worker from the reports, never edited by hand."""

    section_id = models.BigIntegerField()
    # GROUPING(category, status, month) of the SQL that builds it: 7 everything, 3 by
    # category, 5 by status, 1 by category and status, 6 by month.
    grouping = models.SmallIntegerField()
    category_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=20, null=True)
    month = models.DateField(null=True)
    reports = models.IntegerField()
    open_backlog = models.IntegerField()
    oldest_open = models.DateTimeField(null=True)
    resolved = models.IntegerField()
    resolved_with_sla = models.IntegerField()
    resolved_within_sla = models.IntegerField()
    open_days = ArrayField(models.IntegerField(), default=list)
    open_counts = ArrayField(models.IntegerField(), default=list)
    resolve_buckets = ArrayField(models.IntegerField(), default=list)
    resolve_counts = ArrayField(models.IntegerField(), default=list)

    class Meta:
        indexes = [models.Index(fields=["grouping", "section_id"], name="ratescell_grouping")]


class RatesDirty(models.Model):
    """Sections whose reports changed since their cells were built: one row per report
    write, appended by a trigger in the write's own transaction (no row is ever updated,
    so concurrent writes never wait on each other). Reads count these sections from the
    reports; the worker rebuilds their cells and deletes the rows it has seen."""

    section_id = models.BigIntegerField()
