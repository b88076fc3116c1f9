"""The COD-AB GeoPackage made from the verified COD-AB Shapefiles with ogr2ogr (one layer
per `[[recipe.layers]]`, SQLite SQL). A GeoPackage records when it was written, so the
bytes differ each time: checked are the layers, their feature counts (those of the
Shapefiles), the catalogued fields, and ARR_CODE_DERIVED where it is made."""

from pathlib import Path

from django.contrib.gis.gdal import DataSource
from django.contrib.gis.gdal.error import GDALException

from layers.publisher_recipes.common import Made, SourceError, boundary_files, ogr2ogr


def make(want, recipe: dict, scratch: Path) -> Made:
    from layers.datasets import get_dataset

    sources = {path.name: path for path, _ in boundary_files(recipe["from"]).values()}
    made = Made(path=scratch / want.name)
    made.path.unlink(missing_ok=True)
    for index, layer in enumerate(recipe["layers"]):
        arguments = ["-f", "GPKG", str(made.path), str(sources[layer["file"]])]
        arguments += ["-dialect", "SQLite", "-sql", layer["sql"], "-nln", layer["name"]]
        arguments += ["-nlt", layer["geometry_type"], "-lco", "GEOMETRY_NAME=geom"]
        ogr2ogr((["-update"] if index else []) + arguments)
    made.sources.append({"from": recipe["from"], "verified": "sha256 of every Shapefile"})
    expected = {entry["layer"]: entry["fields"] for entry in get_dataset(recipe["dataset"]).files}
    made.checks += check(made.path, recipe, sources, expected)
    return made


def check(path: Path, recipe: dict, sources: dict[str, Path], expected: dict) -> list[str]:
    try:
        package = DataSource(str(path))
    except GDALException as exc:
        raise SourceError(f"{path.name} cannot be read ({exc})") from exc
    layers = {layer.name: layer for layer in package}
    checks = []
    for spec in recipe["layers"]:
        layer = layers.get(spec["name"])
        if layer is None:
            raise SourceError(f"{path.name} has no layer {spec['name']}")
        wanted = len(DataSource(str(sources[spec["file"]]))[0])
        if spec["name"] != "adm0" and len(layer) != wanted:
            raise SourceError(f"layer {spec['name']}: {len(layer)} features, not {wanted}")
        missing = set(expected.get(spec["name"], {}).values()) - set(layer.fields)
        if missing:
            raise SourceError(f"layer {spec['name']} lacks {', '.join(sorted(missing))}")
        checks.append(f"layer {spec['name']}: {len(layer)} features")
    derived = layers["adm2"]
    if any(f.get("ARR_CODE_DERIVED") != f.get("ADM2_PCODE")[:5] for f in derived):
        raise SourceError("ARR_CODE_DERIVED is not the first 5 characters of ADM2_PCODE")
    return checks
