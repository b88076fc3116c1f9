from django.contrib.gis.db import models
from django.db.models import Q


class BasemapFeature(models.Model):
    """One feature of the local basemap, loaded from an OpenStreetMap extract
    (`manage.py load_osm_basemap`): a road, a building, a landmark, a body of water or a
    named place (neighbourhood, village). Replaced as a whole on each load."""

    class Kind(models.TextChoices):
        ROAD = "road", "Road"
        BUILDING = "building", "Building"
        LANDMARK = "landmark", "Landmark"
        WATER = "water", "Water"
        PLACE = "place", "Place"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The OSM tag that made it so, e.g. "residential" (highway), "school" (amenity).
    category = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=200, blank=True)
    # Lower-case, accent-free name for a plain substring search (frontend.text.fold).
    search_text = models.CharField(max_length=200, blank=True)
    osm_id = models.CharField(max_length=40, blank=True)
    geom = models.GeometryField(srid=4326)

    class Meta:
        indexes = [models.Index(fields=["kind"], name="basemap_feature_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="basemap_feature_geom_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name or self.osm_id}"
