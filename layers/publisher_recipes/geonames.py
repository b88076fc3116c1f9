"""GeoNames' country dump (HT.zip, rebuilt every day) filtered as the gazetteer Komin
loads: populated places (feature class P) of 500 inhabitants or more, as GeoJSON points
with geonameid, name, latitude, longitude, countrycode, population, timezone, admin1code,
alternatenames. Checked: the dump's 19 columns, counts in range, points inside Haiti."""

import io
import zipfile
from pathlib import Path

from layers.publisher_recipes.common import Made, SourceError, download, in_range, write_geojson

COLUMNS = 19  # https://download.geonames.org/export/dump/readme.txt
HAITI_BOX = (-74.6, 17.9, -71.5, 20.2)  # lon/lat, a little beyond COD-AB's extent


def make(want, recipe: dict, scratch: Path) -> Made:
    made = Made(path=scratch / want.name)
    archive = scratch / Path(recipe["url"]).name
    made.sources.append(download(recipe["url"], archive))
    features = [place(row) for row in dump_rows(archive, recipe["member"]) if kept(row, recipe)]
    features.sort(key=lambda f: (-f["properties"]["population"], f["properties"]["geonameid"]))
    made.checks.append(in_range("places kept", len(features), recipe["places"]))
    ids = [f["properties"]["geonameid"] for f in features]
    if len(set(ids)) != len(ids):
        raise SourceError("a geonameid is listed twice")
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        if not (HAITI_BOX[0] <= lon <= HAITI_BOX[2] and HAITI_BOX[1] <= lat <= HAITI_BOX[3]):
            name = feature["properties"]["name"]
            raise SourceError(f"{name} ({lat}, {lon}) is outside Haiti")
    made.checks.append("every place inside Haiti, geonameids unique")
    write_geojson(made.path, Path(want.name).stem, features)
    return made


def dump_rows(archive: Path, member: str) -> list[list[str]]:
    try:
        with zipfile.ZipFile(archive) as bundle:
            if member not in bundle.namelist():
                raise SourceError(f"{archive.name} has no member {member}")
            text = io.TextIOWrapper(bundle.open(member), encoding="utf-8").read()
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{archive.name} is not a zip archive") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{member} is not UTF-8 text") from exc
    rows = []
    for line, text_row in enumerate(text.splitlines(), start=1):
        row = text_row.split("\t")
        if len(row) != COLUMNS:
            raise SourceError(
                f"{member} line {line}: {len(row)} columns, not the {COLUMNS} of a GeoNames dump"
            )
        rows.append(row)
    return rows


def kept(row: list[str], recipe: dict) -> bool:
    population = int(row[14] or 0) if (row[14] or "0").isdigit() else 0
    return (
        row[8] == "HT"
        and row[6] in recipe["feature_classes"]
        and population >= recipe["min_population"]
    )


def place(row: list[str]) -> dict:
    try:
        lat, lon, geonameid = float(row[4]), float(row[5]), int(row[0])
    except ValueError:
        raise SourceError(f"geonameid {row[0]!r}: coordinates {row[4]!r}, {row[5]!r}") from None
    properties = {
        "geonameid": geonameid,
        "name": row[1],
        "latitude": lat,
        "longitude": lon,
        "countrycode": row[8],
        "population": int(row[14]),
        "timezone": row[17],
        "admin1code": row[10],
        "alternatenames": row[3],
    }
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}
