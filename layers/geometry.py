"""Geometry hygiene at the door: every geometry that enters Komin passes through here.

It is given an SRID, reprojected to EPSG:4326, checked against the valid range and
checked for validity; polygons are repaired on purpose (the caller reports it), points
never are.
"""

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon

WGS84 = 4326


class GeometryError(ValueError):
    """The geometry cannot be accepted; the message says why."""


def to_wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    if not geom.srid:
        raise GeometryError("geometry has no coordinate reference system")
    if geom.srid != WGS84:
        try:
            geom = geom.transform(WGS84, clone=True)
        except (GDALException, GEOSException) as exc:
            raise GeometryError(f"cannot reproject from EPSG:{geom.srid}: {exc}") from exc
    check_range(geom)
    return geom


def check_range(geom: GEOSGeometry) -> None:
    if geom.empty:
        raise GeometryError("geometry is empty")
    xmin, ymin, xmax, ymax = geom.extent
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise GeometryError(
            f"coordinates out of range for longitude/latitude: extent {geom.extent}"
        )


def as_multipolygon(geom: GEOSGeometry) -> tuple[MultiPolygon, bool]:
    """Returns a valid MultiPolygon and whether it had to be repaired."""
    repaired = False
    if not geom.valid:
        geom = geom.make_valid()
        repaired = True
    polygons = _polygons(geom)
    if not polygons:
        raise GeometryError("geometry has no polygon area")
    multi = MultiPolygon(polygons, srid=geom.srid)
    if not multi.valid:  # polygons of a repaired collection may touch along an edge
        multi = _polygon_union(multi)
        repaired = True
    return multi, repaired


def _polygons(geom: GEOSGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.empty else [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [part for member in geom for part in _polygons(member)]
    return []


def _polygon_union(multi: MultiPolygon) -> MultiPolygon:
    union = multi.unary_union
    parts = _polygons(union)
    return MultiPolygon(parts, srid=multi.srid)


def point(lon: float, lat: float) -> Point:
    if not (-180 <= lon <= 180):
        raise GeometryError(f"longitude {lon} is out of range (-180 to 180)")
    if not (-90 <= lat <= 90):
        raise GeometryError(f"latitude {lat} is out of range (-90 to 90)")
    return Point(lon, lat, srid=WGS84)
