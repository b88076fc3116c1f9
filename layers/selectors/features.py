"""Reads of layers and their features; GeoJSON is built in PostGIS."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.cache import cache
from django.db.models import Q

from communes.access import scope_q
from geoportal.db_router import reading
from geoportal.sql import sql_file
from layers import conf
from layers.models import BoundaryGeneration, Feature, Layer
from layers.schema import private_names, public_names
from layers.selectors.generations import generation_id
from layers.tiles.build import JIT_OFF

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@dataclass(frozen=True)
class Page:
    body: str  # the Feature objects, comma-separated
    returned: int
    has_more: bool
    matched: int | None = None  # every feature the query matches, when known cheaply


@dataclass(frozen=True)
class Query:
    bbox: tuple[float, float, float, float] | None = None
    limit: int = 100
    offset: int = 0
    filter: dict | None = None
    condition: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def visible_layers(user=None):
    """Public layers for everyone; staff-only layers to those who hold "layer.view_private"
    where the layer belongs (national ones: any staff role)."""
    layers = Layer.objects.all()
    private = scope_q(user, "layer.view_private")
    if private is None:
        return layers
    return layers.filter(Q(visibility=Layer.Visibility.PUBLIC) | private)


def public_layers():
    return visible_layers(None)


def layer_by_slug(slug: str, user=None) -> Layer | None:
    return visible_layers(user).filter(slug=slug).first()


def hidden_attributes(layer: Layer, *, staff: bool) -> list[str]:
    return [] if staff else private_names(layer.schema)


def _page(sql: str, params: dict, limit: int) -> Page:
    # JIT off, as for tiles: a page over many rows crosses jit_above_cost and paid
    # 78-132 ms of compilation for a query of tens of milliseconds (issue #12).
    with reading().cursor() as cursor:
        cursor.execute(JIT_OFF + sql, params)
        body, count = cursor.fetchone()
    return Page(body=body or "", returned=min(count, limit), has_more=count > limit)


def _count(sql: str, params: dict) -> int:
    with reading().cursor() as cursor:
        cursor.execute(JIT_OFF + sql, params)
        return cursor.fetchone()[0]


def _with_matched(page: Page, offset: int, count, cheap: bool) -> Page:
    """The last page tells the total for free; past the end, or on any page of a small
    collection, one count with the same filters tells it."""
    if not page.has_more and (page.returned or offset == 0):
        matched = offset + page.returned
    elif cheap or not page.returned:
        matched = count()
    else:
        return page
    return Page(page.body, page.returned, page.has_more, matched)


def layer_size(layer: Layer) -> int:
    """How many features a layer has, cached per version of its data."""
    key = f"layer-size:{layer.pk}:{layer.version}"
    found = cache.get(key)
    if found is None:
        found = Feature.objects.filter(layer=layer).count()
        cache.set(key, found, 3600)
    return found


def attribute_nulls(layer: Layer, *, staff: bool) -> str:
    """Every attribute the caller may see, as null: GIS clients build their columns from
    the first features they read, so a feature must not leave an empty attribute out."""
    names = [e["name"] for e in layer.schema] if staff else public_names(layer.schema)
    return json.dumps(dict.fromkeys(names))


def _bbox_params(bbox) -> dict:
    xmin, ymin, xmax, ymax = bbox or (None, None, None, None)
    return {"xmin": xmin, "ymin": ymin, "xmax": xmax, "ymax": ymax}


def feature_page(layer: Layer, query: Query, *, staff: bool = False) -> Page:
    params = {
        "layer": layer.pk,
        "hidden": hidden_attributes(layer, staff=staff),
        "nulls": attribute_nulls(layer, staff=staff),
        "limit": query.limit,
        "offset": query.offset,
        "filter": json.dumps(query.filter) if query.filter else None,
        "condition": query.condition,
        "since": query.since,
        "until": query.until,
        **_bbox_params(query.bbox),
    }
    page = _page(sql_file(SQL_DIR / "features_page.sql"), params, query.limit)
    return _with_matched(
        page,
        query.offset,
        lambda: _count(sql_file(SQL_DIR / "features_count.sql"), params),
        cheap=layer_size(layer) <= conf.count_max(),
    )


def feature_geojson(layer: Layer, feature_id: int, *, staff: bool = False) -> str | None:
    with reading().cursor() as cursor:
        cursor.execute(
            sql_file(SQL_DIR / "feature_one.sql"),
            {
                "layer": layer.pk,
                "id": feature_id,
                "hidden": hidden_attributes(layer, staff=staff),
                "nulls": attribute_nulls(layer, staff=staff),
            },
        )
        row = cursor.fetchone()
    return row[0] if row else None


def area_page(
    level: str,
    query: Query,
    *,
    pcode: str | None = None,
    generation: BoundaryGeneration | None = None,
) -> Page:
    """A page of the areas of a level of a generation (the current one by default)."""
    params = {
        "generation": generation_id(generation),
        "level": level,
        "pcode": pcode,
        "limit": query.limit,
        "offset": query.offset,
        "since": query.since,
        "until": query.until,
        **_bbox_params(query.bbox),
    }
    page = _page(sql_file(SQL_DIR / "areas_page.sql"), params, query.limit)
    # A level has at most a few hundred areas: counting them is always cheap.
    return _with_matched(
        page,
        query.offset,
        lambda: _count(sql_file(SQL_DIR / "areas_count.sql"), params),
        cheap=True,
    )


def feature_by_id(layer: Layer, feature_id: int) -> Feature | None:
    return Feature.objects.filter(layer=layer, pk=feature_id).select_related("layer").first()


def layer_extent(layer: Layer) -> list[float] | None:
    with reading().cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(geom) AS e FROM layers_feature WHERE layer_id = %s) x",
            [layer.pk],
        )
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None
