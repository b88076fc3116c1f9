"""The little data the probes need on the private primary: a département (the service
territory) around their point."""

from django.contrib.gis.geos import MultiPolygon, Polygon

from layers.models import AdminArea, AdminAreaPart


def ensure_territory() -> None:
    if AdminArea.objects.filter(pcode="HT01").exists():
        return
    square = Polygon.from_bbox((-72.5, 18.4, -72.2, 18.7))
    square.srid = 4326
    area = AdminArea.objects.create(
        level="departement", pcode="HT01", name_fr="Ouest", geom=MultiPolygon(square)
    )
    AdminAreaPart.objects.create(
        area=area, generation=area.generation, level="departement", geom=square
    )
