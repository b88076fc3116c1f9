"""Parameters of an analysis, declared once: parsed the same way from a query string (API)
and from command-line options, documented in OpenAPI from the same declaration.

Every bad value raises DRF's ValidationError naming the parameter (400 in the API, a
CommandError in the commands)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from rest_framework.exceptions import ValidationError

from geoportal.params import query_choice, query_float, query_int
from layers.geometry import GeometryError, point
from layers.levels import Level


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # str | int | float | choice | level | date | list | point
    help: str
    required: bool = False
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None


def _date(params, name: str) -> date | None:
    """A day. Ranges count whole days, so a date-time (2026-01-01T00:00) is taken as its
    day: equal queries then share one cached result."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValidationError({name: [f"{raw!r} is not a date (YYYY-MM-DD)."]}) from None


def _list(params, spec: Param) -> list[str] | None:
    raw = (params.get(spec.name) or "").strip()
    if not raw:
        return None
    values = [item.strip() for item in raw.split(",") if item.strip()]
    if spec.choices:
        unknown = [value for value in values if value not in spec.choices]
        if unknown:
            raise ValidationError(
                {spec.name: [f"{', '.join(unknown)}: not one of {', '.join(spec.choices)}."]}
            )
    return values


def _point(params, name: str, required: bool):
    raw = (params.get(name) or "").strip()
    if not raw:
        if required:
            raise ValidationError({name: ["This parameter is required (lon,lat)."]})
        return None
    parts = raw.split(",")
    try:
        lon, lat = (float(part) for part in parts)
        return point(lon, lat)
    except ValueError:
        raise ValidationError({name: [f"{raw!r} is not lon,lat."]}) from None
    except GeometryError as exc:
        raise ValidationError({name: [str(exc)]}) from None


def parse(params, specs: list[Param]) -> dict:
    values = {}
    for spec in specs:
        key = spec.name
        if spec.kind == "int":
            value = query_int(
                params,
                key,
                required=spec.required,
                minimum=spec.minimum,
                maximum=spec.maximum,
                default=spec.default,
            )
        elif spec.kind == "float":
            value = query_float(
                params,
                key,
                required=spec.required,
                minimum=spec.minimum,
                maximum=spec.maximum,
                default=spec.default,
            )
        elif spec.kind in ("choice", "level"):
            choices = Level.values if spec.kind == "level" else spec.choices
            value = query_choice(params, key, choices, required=spec.required, default=spec.default)
        elif spec.kind == "date":
            value = _date(params, key)
            if value is None and spec.required:
                raise ValidationError({key: ["This parameter is required (YYYY-MM-DD)."]})
        elif spec.kind == "list":
            value = _list(params, spec)
        elif spec.kind == "point":
            value = _point(params, key, spec.required)
        else:
            value = (params.get(key) or "").strip() or spec.default
            if value is None and spec.required:
                raise ValidationError({key: ["This parameter is required."]})
        values[key] = value
    return values


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, end+1 00:00) in the site's time zone: a date range includes its last day."""
    if start and end and end < start:
        raise ValidationError({"to": [f"{end} is before from={start}."]})
    zone = timezone.get_current_timezone()
    low = datetime.combine(start, time.min, zone) if start else None
    try:
        high = datetime.combine(end + timedelta(days=1), time.min, zone) if end else None
    except OverflowError:
        raise ValidationError({"to": [f"{end} is beyond the last day we can count."]}) from None
    return low, high
