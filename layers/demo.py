"""Demo data of the layers app: Haiti's boundaries and population."""

from layers.datasets import get_dataset
from layers.services.catalogue import is_loaded, load_boundary_dataset, load_population_dataset

BOUNDARIES = "hti-cod-ab"
POPULATION = "hti-population-2019"


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
