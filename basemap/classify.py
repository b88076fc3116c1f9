"""Which basemap feature an OpenStreetMap element is, from its tags (one row of the GDAL
OSM driver's points, lines or multipolygons layer). None: not part of the basemap."""

PLACES = {"neighbourhood", "suburb", "quarter", "village", "hamlet", "locality", "town", "city"}
LANDMARK_KEYS = ("amenity", "shop", "tourism", "historic", "leisure", "man_made")
WATER_AREAS = {"water", "wetland", "bay"}


def _landmark(row: dict) -> tuple[str, str] | None:
    for key in LANDMARK_KEYS:
        if row.get(key) and row.get("name"):
            return "landmark", row[key]
    return None


def classify_point(row: dict) -> tuple[str, str] | None:
    if row.get("place") in PLACES and row.get("name"):
        return "place", row["place"]
    return _landmark(row)


def classify_line(row: dict) -> tuple[str, str] | None:
    if row.get("highway"):
        return "road", row["highway"]
    if row.get("waterway"):
        return "water", row["waterway"]
    return None


def classify_area(row: dict) -> tuple[str, str] | None:
    landmark = _landmark(row)
    if landmark:
        return landmark
    if row.get("building"):
        return "building", row["building"]
    if row.get("natural") in WATER_AREAS or row.get("water") or row.get("waterway") == "riverbank":
        return "water", row.get("water") or row.get("natural") or "water"
    if row.get("landuse") == "reservoir":
        return "water", "reservoir"
    if row.get("place") in PLACES and row.get("name"):
        return "place", row["place"]
    return None


LAYERS = {"points": classify_point, "lines": classify_line, "multipolygons": classify_area}
