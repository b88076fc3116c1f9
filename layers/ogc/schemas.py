"""JSON Schemas of a collection's features (OGC API – Features Part 5 `schema`) and of
what may filter them (Part 3 `queryables`). GIS clients build their columns from these
instead of guessing from the first features."""

from layers.ogc.collections import Collection
from layers.schema import types

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Layer attribute types -> JSON Schema.
TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
GEOMETRIES = {
    "point": "geometry-point",
    "multipoint": "geometry-multipoint",
    "linestring": "geometry-linestring",
    "multilinestring": "geometry-multilinestring",
    "polygon": "geometry-polygon",
    "multipolygon": "geometry-multipolygon",
}
# The members Komin adds to every feature of a layer, and those of a boundary.
FEATURE_MEMBERS = {
    "condition": {"type": "string", "title": "condition"},
    "area": {"type": "string", "title": "P-code of the section it lies in"},
    "updated": {"type": "string", "format": "date-time", "title": "last change"},
}
AREA_MEMBERS = {
    "pcode": {"type": "string", "title": "P-code"},
    "level": {"type": "string", "title": "level"},
    "name_fr": {"type": "string", "title": "name (French)"},
    "name_ht": {"type": "string", "title": "name (Kreyòl)"},
    "name_en": {"type": "string", "title": "name (English)"},
    "parent": {"type": "string", "title": "P-code of the parent area"},
    "derived": {"type": "boolean", "title": "derived from its children"},
    "population": {"type": "integer", "title": "population"},
    "area_km2": {"type": "number", "title": "area in km²"},
    "valid_on": {"type": "string", "format": "date", "title": "valid on"},
}


def _geometry(collection: Collection) -> dict:
    if collection.geometry_format:
        return {"format": collection.geometry_format, "x-ogc-role": "primary-geometry"}
    kind = collection.layer.geometry_type.lower() if collection.layer else "multipolygon"
    return {"format": GEOMETRIES.get(kind, "geometry-any"), "x-ogc-role": "primary-geometry"}


def _attributes(collection: Collection) -> dict:
    layer = collection.layer
    labels = {entry["name"]: entry.get("label") or entry["name"] for entry in layer.schema}
    known = types(layer.schema)
    return {
        name: {**TYPES.get(known[name], {"type": "string"}), "title": labels[name]}
        for name in collection.queryables()
    }


def _document(url: str, collection: Collection, properties: dict, **extra) -> dict:
    return {
        "$schema": DIALECT,
        "$id": url,
        "type": "object",
        "title": collection.title,
        "properties": properties,
        **extra,
    }


def feature_schema(url: str, collection: Collection) -> dict:
    """Every property a feature of the collection has (null when it has no value)."""
    if collection.members is not None:
        members = {"geometry": _geometry(collection), **collection.members}
    elif collection.layer is None:
        members = {"geometry": _geometry(collection), **AREA_MEMBERS}
    else:
        members = {
            "geometry": _geometry(collection),
            **_attributes(collection),
            **FEATURE_MEMBERS,
        }
    return _document(url, collection, members, additionalProperties=False)


def queryables(url: str, collection: Collection) -> dict:
    """What `items` filters by: the bounding box on the geometry and, for a layer, each
    public attribute and the condition as `?name=value`."""
    members = {"geometry": _geometry(collection)}
    if collection.members is not None:
        members |= {name: collection.members[name] for name in collection.queryables()}
    elif collection.layer is not None:
        members |= {**_attributes(collection), "condition": FEATURE_MEMBERS["condition"]}
    return _document(url, collection, members, additionalProperties=False)
