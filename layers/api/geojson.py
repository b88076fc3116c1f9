"""A page of features as a streamed GeoJSON FeatureCollection with paging links."""

import json
from urllib.parse import urlencode

from django.http import StreamingHttpResponse

from layers.selectors.features import Page, Query

GEOJSON = "application/geo+json"


def page_url(request, *, offset: int, limit: int, **extra) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    for key, value in extra.items():
        params[key] = value
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.items()))


def page_links(request, page: Page, query: Query, *, media_type: str = GEOJSON, **extra):
    links = [
        {
            "href": page_url(request, offset=query.offset, limit=query.limit, **extra),
            "rel": "self",
            "type": media_type,
            "title": "this page",
        }
    ]
    if page.has_more:
        links.append(
            {
                "href": page_url(
                    request, offset=query.offset + query.limit, limit=query.limit, **extra
                ),
                "rel": "next",
                "type": media_type,
                "title": "next page",
            }
        )
    if query.offset > 0:
        links.append(
            {
                "href": page_url(
                    request, offset=max(query.offset - query.limit, 0), limit=query.limit, **extra
                ),
                "rel": "prev",
                "type": media_type,
                "title": "previous page",
            }
        )
    return links


def collection_response(page: Page, query: Query, *, links: list, extra: dict | None = None):
    """Streams the collection: the features (built in PostGIS) between a small head and
    tail. `numberMatched` when the selector knows it (see `Page.matched`)."""
    members = {"numberReturned": page.returned, **(extra or {})}
    if page.matched is not None:
        members["numberMatched"] = page.matched
    tail = json.dumps({**members, "links": links})
    chunks = ('{"type":"FeatureCollection","features":[', page.body, "]," + tail[1:])
    response = StreamingHttpResponse(iter(chunks), content_type=GEOJSON)
    return response
