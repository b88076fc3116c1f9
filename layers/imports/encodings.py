"""Text encodings as users name them (Python's codec registry: latin-1, cp1252, utf8...)
mapped to the names GDAL's iconv understands, so that the advice "say encoding=latin-1"
works for every format, Shapefiles included."""

import codecs
import re

from layers.imports import ImportFailed

# Python's canonical codec names whose iconv spelling is not a simple upper-casing.
SPECIAL = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "latin-1": "ISO-8859-1",
    "ascii": "ASCII",
    "mac-roman": "MACINTOSH",
    "utf-16": "UTF-16",
}


def python_encoding(name: str) -> str:
    """The canonical Python codec name, or ImportFailed naming the unknown encoding."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ImportFailed(
            f"unknown encoding {name!r}; use e.g. utf-8, latin-1 or cp1252"
        ) from None
    return info.name


def gdal_encoding(name: str) -> str:
    """iconv's name for the encoding the user named (ISO-8859-1 for latin-1, latin1,
    iso8859_1...; CP1252 for windows-1252 or cp1252)."""
    canonical = python_encoding(name)
    if canonical in SPECIAL:
        return SPECIAL[canonical]
    match = re.fullmatch(r"iso8859-(\d+)", canonical)
    if match:
        return f"ISO-8859-{match.group(1)}"
    return canonical.upper()
