"""Which characters and JSON shapes Komin accepts: the one rule that the request
middleware, the body parsers, the JSON helpers and the XML writer all use.

Control characters other than tab, newline and carriage return, lone surrogates and the
non-characters U+FFFE/U+FFFF cannot be stored in PostgreSQL text (NUL) or written in
XML 1.0, so one of them in a report would break every Open311 XML feed covering it.
"""

import json
import math
import re

# C0 controls except \t \n \r, lone surrogates, U+FFFE, U+FFFF: not allowed in text.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# In a URL path nothing below U+0020 (nor DEL) is ever meaningful.
FORBIDDEN_IN_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Deeper than any GeoJSON Komin accepts (a nested GeometryCollection of MultiPolygons is
# about 10) and far below Python's recursion limit.
MAX_JSON_DEPTH = 32
# Integers beyond 2^53 are not exchangeable in JSON (RFC 7493, I-JSON) and overflow
# every integer column.
MAX_JSON_INTEGER = 2**53


class TextError(ValueError):
    """The input holds something Komin refuses; the message names it and where."""


def forbidden_character(text: str, pattern: re.Pattern = FORBIDDEN) -> str | None:
    """`U+0000 at position 4` for the first forbidden character, or None."""
    match = pattern.search(text)
    if match is None:
        return None
    return f"U+{ord(match.group()):04X} at position {match.start()}"


def check_text(text: str, *, name: str) -> None:
    found = forbidden_character(text)
    if found:
        raise TextError(f"{name}: control characters are not allowed ({found}).")


def strip_forbidden(text: str) -> str:
    """For output of data stored before the rule existed: drop what XML cannot hold."""
    return FORBIDDEN.sub("", text)


def check_data(data, *, name: str = "body") -> None:
    """Walks parsed JSON (or form values) without recursion: depth, keys and strings."""
    stack = [(data, name, 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            check_text(value, name=where)
        elif isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise TextError(f"{where}: nested deeper than {MAX_JSON_DEPTH} levels.")
            if isinstance(value, dict):
                for key, item in value.items():
                    check_text(str(key), name=f"{where}: key")
                    stack.append((item, str(key), depth + 1))
            else:
                stack.extend((item, where, depth + 1) for item in value)


def _parse_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise TextError(f"number {raw[:40]} is out of range.")
    return value


def _parse_int(raw: str) -> int:
    if len(raw.lstrip("-")) > 16 or abs(int(raw)) > MAX_JSON_INTEGER:
        raise TextError(f"integer {raw[:40]} is out of range (at most 2^53 in magnitude).")
    return int(raw)


def _refuse_constant(raw: str):
    raise TextError(f"{raw} is not a JSON number.")


def loads(text: str | bytes, *, name: str = "body"):
    """json.loads with Komin's rules: no NaN/Infinity, no numbers beyond float or 2^53,
    bounded depth, no forbidden characters. Raises TextError with a message."""
    try:
        data = json.loads(
            text,
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
        )
    except TextError as exc:
        raise TextError(f"{name}: {exc}") from None
    except RecursionError:
        raise TextError(f"{name}: nested deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise TextError(f"{name}: not valid JSON ({exc}).") from None
    check_data(data, name=name)
    return data
