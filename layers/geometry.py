"""Geometry hygiene at the door: every geometry that enters Komin passes through here.

It is given an SRID, reprojected to EPSG:4326, checked against the valid range and
checked for validity; polygons are repaired on purpose (the caller reports it), points
never are.
"""

import json
import math
import re
from functools import lru_cache

from django.contrib.gis.gdal import GDALException, OGRGeometry
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon

from geoportal.text import TextError, loads

WGS84 = 4326
# Web maps (and the stored EPSG:3857 copy of every feature) end at this latitude.
MERCATOR_MAX_LAT = 85.05
# Geometry types a layer of each declared type accepts. Collections are never stored: a
# renderer, a tile or a Shapefile export cannot take them (send members as features).
FAMILIES = {
    "Point": ("Point",),
    "MultiPoint": ("Point", "MultiPoint"),
    "LineString": ("LineString", "MultiLineString"),
    "MultiLineString": ("LineString", "MultiLineString"),
    "Polygon": ("Polygon", "MultiPolygon"),
    "MultiPolygon": ("Polygon", "MultiPolygon"),
}
SIMPLE_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
GEOJSON_TYPES = (*SIMPLE_TYPES, "GeometryCollection")
# "EPSG:3857", "urn:ogc:def:crs:EPSG::3857", "http://www.opengis.net/def/crs/EPSG/0/3857"
CRS_NAME = re.compile(
    r"(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/0/)"
    r"([0-9]{1,6})",
    re.ASCII,
)
CRS84 = re.compile(
    r"(?:urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:OGC::CRS84|OGC:CRS84|"
    r"https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)"
)


class GeometryError(ValueError):
    """The geometry cannot be accepted; the message says why."""


def to_wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    """Reprojected to EPSG:4326, checked against the source CRS's area of use before and
    after: a projection wraps absurd coordinates silently (1e12 m becomes 90°N)."""
    if not geom.srid:
        raise GeometryError("geometry has no coordinate reference system")
    if geom.srid != WGS84:
        source = geom
        check_coordinates(source)
        area = area_of_use(source.srid)
        if area is not None:
            _check_within(source.extent, area.projected, f"EPSG:{source.srid}")
        try:
            geom = source.transform(WGS84, clone=True)
        except (GDALException, GEOSException) as exc:
            raise GeometryError(f"cannot reproject from EPSG:{source.srid}: {exc}") from exc
        check_coordinates(geom)
        if area is not None:
            _check_within(geom.extent, area.degrees, f"EPSG:{source.srid} (in degrees)")
        _check_round_trip(source, geom)
    check_range(geom)
    return geom


def _check_round_trip(source: GEOSGeometry, result: GEOSGeometry) -> None:
    """Longitudes wrap silently in an inverse projection: coming back must land where the
    coordinates started."""
    try:
        back = result.transform(source.srid, clone=True)
    except (GDALException, GEOSException):
        back = None
    scale = max(1.0, *(abs(v) for v in source.extent))
    if back is None or any(
        abs(a - b) > 1e-6 * scale for a, b in zip(source.extent, back.extent, strict=True)
    ):
        raise GeometryError(
            f"coordinates {_short(source.extent)} do not reproject from EPSG:{source.srid} "
            "and back to themselves (they lie outside what the CRS can express); "
            "check the CRS and the order of the coordinates"
        )


class AreaOfUse:
    def __init__(self, degrees: tuple, projected: tuple):
        self.degrees, self.projected = degrees, projected


# How far outside its published area of use a CRS is still trusted: UTM zone 18N is
# routinely used for all of Haiti, whose east lies in zone 19.
AREA_MARGIN_DEGREES = 6.0


@lru_cache(maxsize=64)
def area_of_use(srid: int) -> AreaOfUse | None:
    """The CRS's area of use widened by a margin, in degrees and in its own units."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_epsg(srid)
    except CRSError:
        return None
    if crs.area_of_use is None:
        return None
    west, south, east, north = crs.area_of_use.bounds
    m = AREA_MARGIN_DEGREES
    degrees = (max(west - m, -180), max(south - m, -90), min(east + m, 180), min(north + m, 90))
    if crs.is_geographic:
        return AreaOfUse(degrees, degrees)
    inner = (west, south, east, north)
    pad = 0.5  # of the extent: projected planes reach beyond the published area
    if east - west >= 359:  # world-wide (EPSG:3857...): its plane ends where it wraps
        inner, pad = (-180.0, -MERCATOR_MAX_LAT, 180.0, MERCATOR_MAX_LAT), 0.0
    try:
        transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        xmin, ymin, xmax, ymax = transformer.transform_bounds(*inner, densify_pts=21)
    except Exception:  # noqa: BLE001 - pyproj raises several types; then trust GDAL alone
        return None
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        return None
    pad_x, pad_y = (xmax - xmin) * pad, (ymax - ymin) * pad
    return AreaOfUse(degrees, (xmin - pad_x, ymin - pad_y, xmax + pad_x, ymax + pad_y))


def _check_within(extent: tuple, bounds: tuple, crs: str) -> None:
    xmin, ymin, xmax, ymax = extent
    if xmin < bounds[0] or ymin < bounds[1] or xmax > bounds[2] or ymax > bounds[3]:
        raise GeometryError(
            f"coordinates {_short(extent)} are outside the area where {crs} is defined "
            f"({_short(bounds)}); check the CRS and the order of the coordinates"
        )


def _short(values: tuple) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in values) + ")"


def check_coordinates(geom: GEOSGeometry) -> None:
    if geom.empty:
        raise GeometryError("geometry is empty")
    if not all(math.isfinite(v) for v in geom.extent):
        raise GeometryError("coordinates must be finite numbers")


def check_range(geom: GEOSGeometry) -> None:
    check_coordinates(geom)
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


# Fewer metres in a degree than anywhere on Earth (a degree of latitude is 110.57 km at
# the equator, of longitude 111.32 km × cos(latitude)): a box drawn with it holds the circle.
METRES_PER_DEGREE_AT_LEAST = 110_000.0


def box_around(lon: float, lat: float, metres: float) -> dict[str, float]:
    """The longitude/latitude box that holds every point within `metres` of (lon, lat),
    for an index (`geom && ST_MakeEnvelope(...)`) before an exact test in metres
    (ST_DWithin on geography), which no index on a degree geometry serves by itself."""
    dlat = metres / METRES_PER_DEGREE_AT_LEAST
    widest = min(abs(lat) + dlat, 89.0)  # the circle's latitude farthest from the equator
    dlon = min(metres / (METRES_PER_DEGREE_AT_LEAST * math.cos(math.radians(widest))), 180.0)
    return {"xmin": lon - dlon, "ymin": lat - dlat, "xmax": lon + dlon, "ymax": lat + dlat}


def check_mappable(geom: GEOSGeometry) -> None:
    """Stored features have an EPSG:3857 copy for tiles: beyond 85.05° it would be empty."""
    _xmin, ymin, _xmax, ymax = geom.extent
    if ymin < -MERCATOR_MAX_LAT or ymax > MERCATOR_MAX_LAT:
        raise GeometryError(
            f"latitudes beyond ±{MERCATOR_MAX_LAT}° cannot be shown on a web map "
            f"(extent {_short(geom.extent)})"
        )


def conform(geom: GEOSGeometry, geometry_type: str, *, repair: bool) -> tuple[GEOSGeometry, bool]:
    """The geometry as a layer of `geometry_type` stores it, and whether it was repaired.

    The one rule for API edits, the admin and imports: a MultiPoint of one point becomes
    that point; the type must belong to the layer's family (any simple type for a
    `Geometry` layer; never a collection); an invalid polygon is repaired only when asked,
    keeping only polygon parts (a zero-area polygon is refused, never turned into lines);
    any other invalid geometry is refused."""
    if geom.geom_type == "MultiPoint" and len(geom) == 1:
        geom = GEOSGeometry(geom[0].wkb, srid=geom.srid)
    allowed = FAMILIES.get(geometry_type, SIMPLE_TYPES)
    if geom.geom_type not in allowed:
        what = "mixed geometries" if geometry_type not in FAMILIES else geometry_type
        raise GeometryError(
            f"a {geom.geom_type} cannot go into a layer of {what} (it accepts {', '.join(allowed)})"
        )
    if geom.valid:
        return geom, False
    reason = geom.valid_reason
    if not repair or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"invalid geometry: {reason}")
    try:
        multi, _ = as_multipolygon(geom)
    except GeometryError:
        raise GeometryError(f"invalid polygon with no area left after repair: {reason}") from None
    if geometry_type == "Polygon" and len(multi) == 1:
        return GEOSGeometry(multi[0].wkb, srid=multi.srid), True
    return multi, True


def parse_geojson(value, *, name: str = "geometry") -> GEOSGeometry:
    """A GeoJSON geometry (object or text) read strictly: known type, positions of 2 to 4
    finite numbers (Z and M are dropped on purpose: layers are 2D), no nested collection,
    a `crs` member only if it names an EPSG code or CRS84. EPSG:4326 otherwise."""
    if isinstance(value, str | bytes):
        try:
            value = loads(value, name=name)
        except TextError as exc:
            raise GeometryError(str(exc)) from None
    if not isinstance(value, dict):
        raise GeometryError("expected a GeoJSON geometry object")
    srid = _crs_srid(value.get("crs"))
    clean = _clean_geometry(value, nested=False)
    try:
        ogr = OGRGeometry(json.dumps(clean))
    except (GDALException, GEOSException, ValueError, TypeError) as exc:
        raise GeometryError(f"not a readable GeoJSON geometry ({exc})") from None
    try:
        geom = ogr.geos
    except (GDALException, GEOSException, ValueError) as exc:
        raise GeometryError(f"not a readable GeoJSON geometry ({exc})") from None
    geom.srid = srid
    check_coordinates(geom)
    return geom


def _crs_srid(crs) -> int:
    if crs is None:
        return WGS84
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or (isinstance(crs, dict) and crs.get("type") != "name"):
        raise GeometryError('crs: expected {"type": "name", "properties": {"name": "EPSG:<code>"}}')
    if CRS84.fullmatch(name.strip()):
        return WGS84
    match = CRS_NAME.fullmatch(name.strip())
    if match is None:
        raise GeometryError(f"crs: {name[:80]!r} is not a CRS Komin knows (use EPSG:<code>)")
    srid = int(match.group(1))
    from django.contrib.gis.gdal import SpatialReference

    try:
        SpatialReference(srid)
    except (GDALException, ValueError):
        raise GeometryError(f"crs: EPSG:{srid} is not a known coordinate system") from None
    return srid


def _clean_geometry(value, *, nested: bool) -> dict:
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in GEOJSON_TYPES:
        raise GeometryError(f"type {kind!r} is not a GeoJSON geometry type")
    if kind == "GeometryCollection":
        if nested:
            raise GeometryError("a GeometryCollection inside a GeometryCollection is not allowed")
        members = value.get("geometries")
        if not isinstance(members, list) or not members:
            raise GeometryError("a GeometryCollection needs a non-empty list of geometries")
        return {"type": kind, "geometries": [_clean_geometry(m, nested=True) for m in members]}
    depth = SIMPLE_TYPES.index(kind) // 2  # Point/MultiPoint 0/1, Line 1/2, Polygon 2/3
    depth += SIMPLE_TYPES.index(kind) % 2
    return {"type": kind, "coordinates": _positions(value.get("coordinates"), depth)}


def _positions(value, depth: int):
    if not isinstance(value, list):
        raise GeometryError("coordinates must be arrays of positions")
    if depth == 0:
        if not 2 <= len(value) <= 4 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in value
        ):
            raise GeometryError("a position must be 2 to 4 finite numbers [lon, lat, (z, m)]")
        return [float(value[0]), float(value[1])]  # 2D on purpose: Z and M are dropped
    return [_positions(item, depth - 1) for item in value]
