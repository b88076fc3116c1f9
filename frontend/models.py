from django.contrib.gis.db import models


class Place(models.Model):
    """A named place of the gazetteer (towns, villages) for the map's search box."""

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    alternate_names = models.TextField(blank=True)
    # Lower-case, accent-free name and alternate names, for a plain substring search.
    search_text = models.TextField()
    population = models.PositiveIntegerField(default=0)
    admin1code = models.CharField(max_length=10, blank=True)
    location = models.PointField(srid=4326)
    dataset = models.CharField(max_length=100)

    class Meta:
        ordering = ["-population", "name"]

    def __str__(self) -> str:
        return self.name
