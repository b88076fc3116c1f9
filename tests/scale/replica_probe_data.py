"""The little data the probes need on the private primary: a département (the service
territory) around their point, a public layer with one feature."""

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.models import AdminArea, AdminAreaPart, Feature, Layer


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


def ensure_public_layer() -> Layer:
    layer, _ = Layer.objects.get_or_create(
        slug="probe-wells", defaults={"title": "Probe wells", "geometry_type": "Point"}
    )
    if not layer.features.exists():
        Feature.objects.create(layer=layer, geom=Point(-72.34, 18.54, srid=4326))
    return layer
