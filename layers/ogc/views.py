"""OGC API – Features Part 1 endpoints. Plain Django views (no DRF content negotiation:
GIS clients send Accept headers DRF would refuse); errors in the site's JSON format."""

import functools
import json
from datetime import UTC, datetime

from django.http import Http404, HttpResponse, JsonResponse
from rest_framework.exceptions import ValidationError

from geoportal.api import _flatten, error_response, read_only
from geoportal.limits.decorators import limited
from geoportal.limits.throttles import AnonReadThrottle
from layers.api.geojson import page_links, page_url
from layers.ogc import schemas
from layers.ogc.collections import Collection, all_collections, get_collection
from layers.ogc.openapi import openapi_document

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
REL_SCHEMA = "http://www.opengis.net/def/rel/ogc/1.0/schema"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]
ITEMS_LIMIT_DEFAULT = 10
FORMATS = {"json": JSON, "geojson": GEOJSON}


def ogc_view(view):
    """GET and HEAD only, limited per anonymous client; a bad parameter is a 400 naming
    it, never a 500; every error in JSON; CORS open."""

    @read_only
    @limited(AnonReadThrottle)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except ValidationError as exc:
            response = error_response(400, "invalid", _flatten(exc.detail))
        except Http404 as exc:
            response = error_response(404, "not_found", str(exc))
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def url(request, path: str) -> str:
    return request.build_absolute_uri(f"/ogc/{path}")


def media_type(request, default: str) -> str:
    f = request.GET.get("f")
    if f is None:
        return default
    if f not in FORMATS:
        raise ValidationError({"f": [f"{f!r} is not one of {', '.join(FORMATS)}."]})
    return FORMATS[f]


def json_response(body: dict, content_type: str = JSON) -> JsonResponse:
    return JsonResponse(body, content_type=content_type, json_dumps_params={"ensure_ascii": False})


def collection_or_404(collection_id: str) -> Collection:
    found = get_collection(collection_id)
    if found is None:
        raise Http404(f"No collection {collection_id!r}.")
    return found


@ogc_view
def landing(request):
    media_type(request, JSON)
    return json_response(
        {
            "title": "Komin – OGC API Features",
            "description": "Haiti's administrative boundaries and public infrastructure layers.",
            "links": [
                {"href": url(request, ""), "rel": "self", "type": JSON, "title": "this document"},
                {
                    "href": url(request, "api"),
                    "rel": "service-desc",
                    "type": OPENAPI,
                    "title": "the API definition",
                },
                {
                    "href": request.build_absolute_uri("/api/docs/"),
                    "rel": "service-doc",
                    "type": "text/html",
                    "title": "the API documentation",
                },
                {
                    "href": url(request, "conformance"),
                    "rel": "conformance",
                    "type": JSON,
                    "title": "conformance classes",
                },
                {
                    "href": url(request, "collections"),
                    "rel": "data",
                    "type": JSON,
                    "title": "the collections",
                },
            ],
        }
    )


@ogc_view
def conformance(request):
    media_type(request, JSON)
    return json_response({"conformsTo": CONFORMANCE})


@ogc_view
def api(request):
    return json_response(openapi_document(request, all_collections()), OPENAPI)


def collection_json(request, collection: Collection) -> dict:
    base = f"collections/{collection.id}"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "attribution": collection.attribution,
        "license": collection.licence,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [collection.extent()], "crs": CRS84}},
        "links": [
            {"href": url(request, base), "rel": "self", "type": JSON, "title": collection.title},
            {
                "href": url(request, f"{base}?f=json"),
                "rel": "alternate",
                "type": JSON,
                "title": "this document as JSON",
            },
            {
                "href": url(request, f"{base}/items"),
                "rel": "items",
                "type": GEOJSON,
                "title": "the features",
            },
            {
                "href": url(request, f"{base}/items?f=json"),
                "rel": "items",
                "type": JSON,
                "title": "the features as JSON",
            },
            {
                "href": url(request, f"{base}/queryables"),
                "rel": REL_QUERYABLES,
                "type": SCHEMA,
                "title": "what the features may be filtered by",
            },
            {
                "href": url(request, f"{base}/schema"),
                "rel": REL_SCHEMA,
                "type": SCHEMA,
                "title": "the properties of the features",
            },
            {
                "href": url(request, f"{base}/schema"),
                "rel": "describedby",
                "type": SCHEMA,
                "title": "the properties of the features",
            },
            *(
                [{"href": collection.licence, "rel": "license", "type": "text/html"}]
                if collection.licence.startswith("http")
                else []
            ),
        ],
    }


@ogc_view
def collections(request):
    media_type(request, JSON)
    found = all_collections()
    return json_response(
        {
            "links": [
                {
                    "href": url(request, "collections"),
                    "rel": "self",
                    "type": JSON,
                    "title": "the collections",
                },
                {
                    "href": url(request, "collections?f=json"),
                    "rel": "alternate",
                    "type": JSON,
                    "title": "the collections as JSON",
                },
            ],
            "collections": [collection_json(request, c) for c in found],
        }
    )


@ogc_view
def collection(request, collection_id: str):
    media_type(request, JSON)
    return json_response(collection_json(request, collection_or_404(collection_id)))


@ogc_view
def queryables(request, collection_id: str):
    found = collection_or_404(collection_id)
    here = url(request, f"collections/{found.id}/queryables")
    return json_response(schemas.queryables(here, found), SCHEMA)


@ogc_view
def schema(request, collection_id: str):
    found = collection_or_404(collection_id)
    here = url(request, f"collections/{found.id}/schema")
    return json_response(schemas.feature_schema(here, found), SCHEMA)


@ogc_view
def items(request, collection_id: str):
    found = collection_or_404(collection_id)
    kind = media_type(request, GEOJSON)
    query = found.query(request.GET, ITEMS_LIMIT_DEFAULT)
    page = found.page(query)
    other = JSON if kind == GEOJSON else GEOJSON
    links = page_links(request, page, query, media_type=kind)
    links.append(
        {
            "href": page_url(
                request,
                offset=query.offset,
                limit=query.limit,
                f="json" if other == JSON else "geojson",
            ),
            "rel": "alternate",
            "type": other,
            "title": "this page as " + ("JSON" if other == JSON else "GeoJSON"),
        }
    )
    links.append(
        {
            "href": url(request, f"collections/{found.id}"),
            "rel": "collection",
            "type": JSON,
            "title": found.title,
        }
    )
    members = {"numberReturned": page.returned, "timeStamp": _now()}
    if page.matched is not None:
        members["numberMatched"] = page.matched
    tail = json.dumps({**members, "links": links}, ensure_ascii=False)
    body = '{"type":"FeatureCollection","features":[' + page.body + "]," + tail[1:]
    response = HttpResponse(body, content_type=kind)
    response["Content-Crs"] = f"<{CRS84}>"
    return response


@ogc_view
def item(request, collection_id: str, feature_id: str):
    found = collection_or_404(collection_id)
    kind = media_type(request, GEOJSON)
    body = found.item(feature_id, request.GET)
    if body is None:
        raise Http404(f"No feature {feature_id!r} in collection {collection_id!r}.")
    base = f"collections/{found.id}"
    feature = json.loads(body)
    feature["links"] = [
        {"href": url(request, f"{base}/items/{feature_id}"), "rel": "self", "type": kind},
        {
            "href": url(
                request,
                f"{base}/items/{feature_id}?f=" + ("json" if kind == GEOJSON else "geojson"),
            ),
            "rel": "alternate",
            "type": JSON if kind == GEOJSON else GEOJSON,
        },
        {"href": url(request, base), "rel": "collection", "type": JSON},
    ]
    response = HttpResponse(json.dumps(feature, ensure_ascii=False), content_type=kind)
    response["Content-Crs"] = f"<{CRS84}>"
    return response


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
