"""Place from the message's words: sections, communes, GeoNames places and named
features of public layers (schools...), accent- and case-insensitive, one slip tolerated
in longer names. The most specific match wins (a school before its section before its
commune); several equally specific ones are offered as a menu."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from channels.text import close, words
from frontend.text import fold
from geoportal.sql import fetch_dicts, fetch_value, sql_file

SQL = Path(__file__).parent / "sql" / "gazetteer.sql"
SPECIFICITY = {"feature": 0, "place": 1, "section": 2, "commune": 3}
PLACE_M = 1500  # a village or town quarter named in GeoNames
FEATURE_M = 150  # "near the school": within a short walk
SECTION_PREFIX = re.compile(r"^\d+\s*(re|e|eme|er|ere)\s+section\s+(de\s+|d\s+)?")
MAX_WORDS = 80  # a place is named early; a 2,000-character message costs no more
TOO_COMMON = {"ecole", "lekol", "college", "institution", "mixte", "centre", "eglise", "ville"}


@dataclass(frozen=True)
class Place:
    kind: str
    label: str
    lon: float
    lat: float
    uncertainty_m: int
    commune: str | None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.label, "lon": self.lon, "lat": self.lat,
                "uncertainty_m": self.uncertainty_m, "commune": self.commune}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    name: str  # folded
    size: int  # words
    place: Place


def _names(kind: str, names: str) -> set[str]:
    found = set()
    for name in names.split("|"):
        folded = fold(name)
        if kind == "section":
            folded = SECTION_PREFIX.sub("", folded)
        if len(folded.replace(" ", "")) >= 4 and folded not in TOO_COMMON:
            found.add(folded)
    return found


def version() -> tuple:
    return fetch_value(
        "SELECT ARRAY[(SELECT coalesce(max(id), 0) FROM layers_boundarygeneration),"
        " (SELECT count(*) FROM frontend_place), (SELECT coalesce(sum(version), 0)"
        " FROM layers_layer)]"
    )


@lru_cache(maxsize=2)
def _index(key: tuple) -> tuple[Entry, ...]:
    rows = fetch_dicts(sql_file(SQL), {"place_m": PLACE_M, "feature_m": FEATURE_M})
    entries = []
    for row in rows:
        place = Place(row["kind"], row["label"], row["lon"], row["lat"],
                      max(int(row["uncertainty_m"]), 50), row["commune"])  # fmt: skip
        for name in _names(row["kind"], row["names"]):
            entries.append(Entry(name, len(name.split()), place))
    return tuple(entries)


def index() -> tuple[Entry, ...]:
    return _index(tuple(version()))


def clear() -> None:
    _index.cache_clear()


@dataclass(frozen=True)
class Found:
    place: Place | None
    candidates: list[Place]


def _spans(tokens: list[str], entry: Entry) -> list[tuple[int, int]]:
    spans = []
    for start in range(len(tokens) - entry.size + 1):
        gram = " ".join(tokens[start : start + entry.size])
        if gram == entry.name or (
            gram[:1] == entry.name[:1] and len(entry.name) >= 6 and close(gram, entry.name)
        ):
            spans.append((start, start + entry.size))
    return spans


def find_places(text: str, *, communes: list[str] | None = None) -> Found:
    """`communes`: the P-codes a gateway serves (empty: anywhere); matches inside them
    come first."""
    tokens = words(text)[:MAX_WORDS]
    hits: list[tuple[tuple[int, int], Place]] = []
    for entry in index():
        hits += [(span, entry.place) for span in _spans(tokens, entry)]
    # A name inside a longer matched name is not a match of its own ("delmas" in
    # "delmas 33").
    hits = [
        (span, place)
        for span, place in hits
        if not any(o[0] <= span[0] and span[1] <= o[1] and o != span for o, _ in hits)
    ]
    places = list(dict.fromkeys(place for _, place in hits))
    if communes:
        inside = [p for p in places if p.commune in communes]
        places = inside or places
    if not places:
        return Found(None, [])
    best = min(SPECIFICITY[p.kind] for p in places)
    top = [p for p in places if SPECIFICITY[p.kind] == best]
    top = list({(p.kind, p.label, p.commune): p for p in top}.values())
    if len(top) == 1:
        return Found(top[0], top)
    return Found(None, top[:5])
