"""Query-parameter parsing that answers 400 naming the parameter, for every view."""

import math
import re

from rest_framework.exceptions import ValidationError

from layers.levels import Level

# ASCII digits only: str.isdigit() and int() also take '²' or '٣', which then fail or
# mean something the client did not write.
INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
# What an integer column holds; parameters without their own bound stop here.
INT_MAX = 2**31 - 1


def parse_int(raw: str) -> int:
    """A whole number written in ASCII digits (at most 18), or ValueError."""
    text = raw.strip()
    if not INTEGER.fullmatch(text):
        raise ValueError(f"{raw!r} is not a whole number")
    return int(text)


def _raw(params, name: str, required: bool) -> str | None:
    value = params.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ValidationError({name: ["This parameter is required."]})
        return None
    return value.strip()


def _number(params, name, cast, kind, *, required, minimum, maximum, default):
    raw = _raw(params, name, required)
    if raw is None:
        return default
    try:
        value = cast(raw)
    except ValueError:
        raise ValidationError({name: [f"{raw!r} is not {kind}."]}) from None
    if not math.isfinite(value):
        raise ValidationError({name: [f"{raw!r} is not a finite number."]})
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValidationError({name: [f"{value} is out of range ({minimum} to {maximum})."]})
    return value


def query_float(params, name: str, *, required=False, minimum=None, maximum=None, default=None):
    return _number(
        params,
        name,
        float,
        "a number",
        required=required,
        minimum=minimum,
        maximum=maximum,
        default=default,
    )


def query_int(
    params, name: str, *, required=False, minimum=-INT_MAX, maximum=INT_MAX, default=None
):
    return _number(
        params,
        name,
        parse_int,
        "a whole number",
        required=required,
        minimum=-INT_MAX if minimum is None else minimum,
        maximum=INT_MAX if maximum is None else maximum,
        default=default,
    )


def query_choice(params, name: str, choices, *, required=False, default=None):
    raw = _raw(params, name, required)
    if raw is None:
        return default
    if raw not in choices:
        raise ValidationError({name: [f"{raw!r} is not one of {', '.join(choices)}."]})
    return raw


def query_level(params, name: str = "level", *, required=False):
    return query_choice(params, name, Level.values, required=required)


def query_bbox(params, name: str = "bbox"):
    """`minlon,minlat,maxlon,maxlat` in EPSG:4326, or None. The 6-number form of OGC API
    (`minlon,minlat,minz,maxlon,maxlat,maxz`) is accepted; heights do not filter."""
    raw = _raw(params, name, False)
    if raw is None:
        return None
    parts = raw.split(",")
    if len(parts) not in (4, 6):
        raise ValidationError(
            {name: ["Expected minlon,minlat,maxlon,maxlat (or with minz and maxz: 6 numbers)."]}
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ValidationError({name: [f"{raw!r} has a value that is not a number."]}) from None
    if len(numbers) == 6:
        numbers = numbers[0:2] + numbers[3:5]
    xmin, ymin, xmax, ymax = numbers
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        raise ValidationError({name: ["Values must be finite numbers."]})
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise ValidationError(
            {
                name: [
                    "Expected minlon <= maxlon within -180..180 and minlat <= maxlat within -90..90."
                ]
            }
        )
    return (xmin, ymin, xmax, ymax)
