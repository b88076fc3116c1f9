"""A project's geometry at the door, through layers.geometry: read strictly, reprojected
to EPSG:4326, in range, mappable and valid. Unlike a layer, a project may mix kinds
(a road and its drains): a GeometryCollection of points, lines and polygons is accepted,
one level deep."""

from django.contrib.gis.geos import GEOSGeometry

from layers.geometry import GeometryError, check_mappable, parse_geojson, to_wgs84

KINDS = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def project_geometry(value) -> GEOSGeometry:
    """Raises GeometryError naming what is wrong."""
    if value is None:
        raise GeometryError("a project needs a geometry (a point, a line or a polygon)")
    geom = parse_geojson(value)
    if geom.geom_type not in KINDS:
        raise GeometryError(f"a {geom.geom_type} is not a geometry a project can have")
    geom = to_wgs84(geom)
    check_mappable(geom)
    if not geom.valid:
        raise GeometryError(f"invalid geometry: {geom.valid_reason}")
    return geom
