"""Recipes from the publisher: data sets whose publisher changes the source over time
(HDX COD-PS tables replaced in place, OpenStreetMap, GeoNames' daily dump, a GeoPackage
that records its write time) are made from today's published source by a recorded
transformation (`recipe` in data/*/sources.toml). No checksum can hold for them, so each
recipe checks the structure of what it made (columns or fields, counts within a range,
P-codes known to the boundaries, values in range) and refuses it, naming the problem,
otherwise. What was fetched (URL, date, sha256) is recorded next to the file
(`<file>.source.json`). The mirror copy, when present, is used first and checked by sha256.
"""

import urllib.error

from layers.data_fetch import WantedFile
from layers.publisher_recipes import geonames, gpkg, overpass, population
from layers.publisher_recipes.common import Made, SourceError

RECIPES = {
    "cod-ps": population.make,
    "overpass": overpass.make,
    "geonames": geonames.make,
    "cod-ab-gpkg": gpkg.make,
}


def make_from_publisher(want: WantedFile, scratch, tried: list[str]) -> Made | None:
    """The file made by its recipe and checked, or None with the reason in `tried`."""
    from layers.datasets import DatasetError

    recipe = want.recipe or {}
    maker = RECIPES.get(recipe.get("kind"))
    if maker is None:
        tried.append(f"{want.name}: unknown recipe kind {recipe.get('kind')!r}")
        return None
    try:
        return maker(want, recipe, scratch)
    except SourceError as exc:
        tried.append(f"{want.name}: {exc}: refused")
    except urllib.error.HTTPError as exc:
        tried.append(f"{want.name}: {exc.url}: HTTP {exc.code}")
    except (OSError, urllib.error.URLError) as exc:
        tried.append(f"{want.name}: publisher unreachable ({getattr(exc, 'reason', None) or exc})")
    except DatasetError as exc:
        tried.append(f"{want.name} is made from a data set that is missing: {exc}")
    return None
