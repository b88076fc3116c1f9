"""Query parameters of feature lists (REST API and OGC API items), answering 400 that
names the parameter."""

from datetime import UTC, datetime, time

from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

from geoportal.params import query_bbox, query_choice, query_int
from layers import conf
from layers.models import Feature, Layer
from layers.schema import SchemaError, coerce, private_names, types
from layers.selectors.features import Query

PAGING = {"bbox", "limit", "offset", "datetime", "f", "condition", "lang", "bbox-crs"}


def parse_query(params, *, layer: Layer | None = None, staff: bool = False) -> Query:
    limit = query_int(params, "limit", minimum=1, maximum=conf.page_max())
    since, until = parse_datetime_param(params.get("datetime"))
    crs = params.get("bbox-crs")
    if crs and crs not in ("http://www.opengis.net/def/crs/OGC/1.3/CRS84",):
        raise ValidationError({"bbox-crs": [f"{crs!r}: only CRS84 is supported."]})
    return Query(
        bbox=query_bbox(params),
        limit=limit or conf.page_default(),
        offset=query_int(params, "offset", minimum=0, maximum=100_000_000, default=0),
        filter=attribute_filter(params, layer, staff) if layer else None,
        condition=query_choice(params, "condition", Feature.Condition.values) if layer else None,
        since=since,
        until=until,
    )


def attribute_filter(params, layer: Layer, staff: bool) -> dict | None:
    """`?<attribute>=value` for attributes of the schema (private ones for staff only);
    any other parameter is refused rather than silently ignored."""
    known = types(layer.schema)
    hidden = set() if staff else set(private_names(layer.schema))
    found = {}
    for name in params:
        if name in PAGING:
            continue
        if name not in known or name in hidden:
            raise ValidationError({name: ["Unknown parameter (not an attribute of this layer)."]})
        try:
            found[name] = coerce(name, known[name], params.get(name))
        except SchemaError as exc:
            raise ValidationError({name: [str(exc)]}) from None
    return found or None


def parse_datetime_param(raw: str | None) -> tuple[datetime | None, datetime | None]:
    """OGC `datetime`: an instant, or an interval `start/end` with `..` (or empty) open."""
    if not raw:
        return None, None
    if "/" in raw:
        start, end = raw.split("/", 1)
        since = None if start in ("", "..") else _instant(start, end_of_day=False)
        until = None if end in ("", "..") else _instant(end, end_of_day=True)
        if since and until and since > until:
            raise ValidationError({"datetime": ["The interval ends before it starts."]})
        return since, until
    return _instant(raw, end_of_day=False), _instant(raw, end_of_day=True)


def _instant(text: str, *, end_of_day: bool) -> datetime:
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            if day is None:
                raise ValueError
            value = datetime.combine(day, time.max if end_of_day else time.min)
    except ValueError:
        raise ValidationError(
            {"datetime": [f"{text!r} is not an RFC 3339 date-time or interval."]}
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
