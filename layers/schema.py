"""A layer's attribute schema: `[{name, type, label, private}]`, and the checks of a
feature's attributes against it. Types: string, integer, number, boolean, date."""

import re
from datetime import date

from geoportal.params import parse_int
from geoportal.text import MAX_JSON_INTEGER, TextError, check_text

TYPES = ("string", "integer", "number", "boolean", "date")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Names of Komin's own properties in GeoJSON, OGC API and tiles: an attribute of the same
# name would be shadowed by them in one place and not in another.
RESERVED = frozenset(
    {"id", "geom", "geometry", "area", "updated", "created", "condition", "external_id",
     "count", "cluster"}
)  # fmt: skip


class SchemaError(ValueError):
    """The schema or the attributes do not fit; the message names the attribute."""


def check_schema(schema) -> None:
    if not isinstance(schema, list):
        raise SchemaError("schema must be a list of {name, type, label, private}")
    seen = set()
    for entry in schema:
        if not isinstance(entry, dict) or "name" not in entry:
            raise SchemaError(f"schema entry {entry!r} has no name")
        name = entry["name"]
        if not isinstance(name, str) or not NAME.match(name):
            raise SchemaError(
                f"attribute name {name!r} must be lower case letters, digits and _ (max 63)"
            )
        if name in RESERVED:
            raise SchemaError(
                f"attribute name {name!r} is reserved for Komin's own property; "
                f"call it e.g. source_{name}"
            )
        if name in seen:
            raise SchemaError(f"attribute {name!r} is defined twice")
        seen.add(name)
        if entry.get("type", "string") not in TYPES:
            raise SchemaError(f"attribute {name!r}: type must be one of {', '.join(TYPES)}")


def types(schema: list[dict]) -> dict[str, str]:
    return {entry["name"]: entry.get("type", "string") for entry in schema}


def public_names(schema: list[dict]) -> list[str]:
    return [entry["name"] for entry in schema if not entry.get("private")]


def private_names(schema: list[dict]) -> list[str]:
    return [entry["name"] for entry in schema if entry.get("private")]


def clean_attributes(schema: list[dict], attributes) -> dict:
    """Returns the attributes typed as the schema says, or raises naming the first problem.
    Unknown attributes are refused rather than silently dropped."""
    if not isinstance(attributes, dict):
        raise SchemaError("attributes must be an object")
    known = types(schema)
    unknown = sorted(set(attributes) - set(known))
    if unknown:
        raise SchemaError(f"unknown attribute(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return {
        name: coerce(name, known[name], value)
        for name, value in attributes.items()
        if value is not None and value != ""
    }


def coerce(name: str, kind: str, value):
    try:
        return _COERCE[kind](value)
    except TextError as exc:
        raise SchemaError(f"attribute {name!r}: {exc}") from None
    except (TypeError, ValueError, OverflowError):
        raise SchemaError(f"attribute {name!r}: {value!r} is not a valid {kind}") from None


def _integer(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        value = int(value)
    elif not isinstance(value, int):
        value = parse_int(str(value))
    if abs(value) > MAX_JSON_INTEGER:
        raise ValueError
    return value


def _number(value) -> float:
    if isinstance(value, bool):
        raise ValueError
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    return number


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "oui", "wi"):
        return True
    if text in ("false", "0", "no", "non", "non"):
        return False
    raise ValueError


def _date(value) -> str:
    return date.fromisoformat(str(value).strip()[:10]).isoformat()


def _string(value) -> str:
    if isinstance(value, (dict, list)):
        raise ValueError
    text = str(value).strip()
    check_text(text, name="text")
    return text


_COERCE = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
}
