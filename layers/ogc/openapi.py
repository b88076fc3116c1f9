"""The OpenAPI 3.0 definition of the OGC API (conformance class oas30): one path set
per collection, so that clients see each collection's queryable attributes."""

from layers import conf


def _param(name: str, schema: dict, description: str, where: str = "query", **extra) -> dict:
    return {"name": name, "in": where, "schema": schema, "description": description, **extra}


BBOX = _param(
    "bbox",
    {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
    "minlon,minlat,maxlon,maxlat (CRS84), or with minz and maxz (6 numbers)",
    style="form",
    explode=False,
)
DATETIME = _param("datetime", {"type": "string"}, "RFC 3339 instant or interval (.. open)")
OFFSET = _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "features to skip")
F = _param("f", {"type": "string", "enum": ["json", "geojson"]}, "output format")
ERROR = {"description": "bad request or not found", "content": {"application/json": {}}}


def _ok(media: str, description: str) -> dict:
    return {"description": description, "content": {media: {"schema": {"type": "object"}}}}


class OperationIds:
    """Readable operation ids that stay unique: collection ids may differ only by "-"
    and "_" (`water-points`, `water_points`), which the readable form merges."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, prefix: str, collection_id: str) -> str:
        base = f"{prefix}_{collection_id.replace('-', '_')}"
        found, n = base, 1
        while found in self.used:
            n += 1
            found = f"{base}_{n}"
        self.used.add(found)
        return found


def openapi_document(request, collections) -> dict:
    limit = _param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": conf.page_max(), "default": 10},
        "page size",
    )
    paths = {
        "/": {
            "get": {
                "summary": "Landing page",
                "operationId": "getLandingPage",
                "responses": {"200": _ok("application/json", "links")},
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "getConformance",
                "responses": {"200": _ok("application/json", "classes")},
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "operationId": "getCollections",
                "responses": {"200": _ok("application/json", "collections")},
            }
        },
    }
    operation_id = OperationIds()
    for c in collections:
        queryables = [
            _param(name, {"type": "string"}, f"features whose {name} equals the value")
            for name in c.queryables()
        ]
        base = f"/collections/{c.id}"
        paths[base] = {
            "get": {
                "summary": c.title,
                "operationId": operation_id("describe", c.id),
                "responses": {"200": _ok("application/json", "metadata"), "404": ERROR},
            }
        }
        for part, what in (("queryables", "what filters"), ("schema", "the properties of")):
            paths[f"{base}/{part}"] = {
                "get": {
                    "summary": f"JSON Schema: {what} the features of {c.title}",
                    "operationId": operation_id(part, c.id),
                    "responses": {"200": _ok("application/schema+json", part), "404": ERROR},
                }
            }
        paths[f"{base}/items"] = {
            "get": {
                "summary": f"Features of {c.title}",
                "operationId": operation_id("items", c.id),
                "parameters": [limit, OFFSET, BBOX, DATETIME, F, *queryables],
                "responses": {
                    "200": _ok("application/geo+json", "a page of features"),
                    "400": ERROR,
                },
            }
        }
        paths[f"{base}/items/{{featureId}}"] = {
            "get": {
                "summary": f"One feature of {c.title}",
                "operationId": operation_id("item", c.id),
                "parameters": [
                    _param("featureId", {"type": "string"}, "feature id", "path", required=True),
                    F,
                ],
                "responses": {"200": _ok("application/geo+json", "the feature"), "404": ERROR},
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Komin – OGC API Features",
            "version": "1.0.0",
            "description": "Boundaries and public infrastructure layers (OGC API – Features "
            "Part 1: Core, GeoJSON, OpenAPI 3.0).",
            "license": {"name": "Data licences per collection"},
        },
        "servers": [{"url": request.build_absolute_uri("/ogc")}],
        "paths": paths,
    }
