"""Demo data of the layers app: Haiti's boundaries and population, then the
infrastructure layers of data/layers/sources.toml (schools, water points)."""

from layers.datasets import get_dataset
from layers.services.catalogue import is_loaded, load_boundary_dataset, load_population_dataset
from layers.services.layer_datasets import load_layer_dataset

BOUNDARIES = "hti-cod-ab"
POPULATION = "hti-population-2019"
LAYERS = ("pap-schools-osm", "cap-haitien-waterpoints")


def load(*, stdout) -> None:
    boundaries_changed = False
    if not is_loaded(get_dataset(BOUNDARIES)):
        report = load_boundary_dataset(key=BOUNDARIES)
        boundaries_changed = True
        stdout.write(
            f"boundaries: {report.created} created, {report.updated} updated, "
            f"{report.derived} arrondissements derived, {len(report.repaired)} repaired"
        )
    if boundaries_changed or not is_loaded(get_dataset(POPULATION)):
        report = load_population_dataset(key=POPULATION)
        stdout.write(f"population: {report.updated} areas")
    for key in LAYERS:
        if boundaries_changed or not is_loaded(get_dataset(key)):
            report = load_layer_dataset(key=key)
            stdout.write(
                f"layer {report.layer}: {report.created} created, {report.updated} updated, "
                f"{report.out_of_area} outside every area"
            )
