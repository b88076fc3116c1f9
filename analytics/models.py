from django.conf import settings
from django.contrib.gis.db import models
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
