"""Loading catalogued data sets (data/*/sources.toml) by key, once per release."""

import hashlib
from datetime import date

from django.db import transaction

from layers.datasets import Dataset, get_dataset
from layers.models import DatasetLoad
from layers.services.boundaries import BoundarySource, LoadReport, load_boundaries
from layers.services.population import PopulationReport, load_population


def dataset_checksum(dataset: Dataset) -> str:
    """One checksum for the release: the recorded checksums of all its files."""
    digest = hashlib.sha256()
    for entry in dataset.files:
        digest.update(
            f"{entry['file']}:{entry.get('layer', '')}:{entry.get('sha256', '')}".encode()
        )
    return digest.hexdigest()


def is_loaded(dataset: Dataset) -> bool:
    return DatasetLoad.objects.filter(key=dataset.key, checksum=dataset_checksum(dataset)).exists()


def record_load(dataset: Dataset, summary: dict) -> None:
    DatasetLoad.objects.update_or_create(
        key=dataset.key, defaults={"checksum": dataset_checksum(dataset), "summary": summary}
    )


def load_boundary_dataset(*, key: str, verify: bool = True, progress=None) -> LoadReport:
    dataset = get_dataset(key)
    dataset.verify(checksums=verify)
    valid_on = dataset.spec.get("valid_on")
    sources = [
        BoundarySource(
            path=dataset.path(entry),
            level=entry["level"],
            fields=entry["fields"],
            layer=entry.get("layer"),
            dataset=key,
            valid_on=date.fromisoformat(valid_on) if valid_on else None,
        )
        for entry in dataset.files
    ]
    derive = dataset.spec.get("derive_arrondissements", {}).get("pcode_length")
    kwargs = {"progress": progress} if progress else {}
    with transaction.atomic():
        report = load_boundaries(sources=sources, derive_arrondissements=derive, **kwargs)
        record_load(
            dataset,
            {"created": report.created, "updated": report.updated, "repaired": report.repaired},
        )
    return report


def load_population_dataset(*, key: str, verify: bool = True) -> PopulationReport:
    dataset = get_dataset(key)
    dataset.verify(checksums=verify)
    report = PopulationReport()
    with transaction.atomic():
        _load_population_files(dataset, key, report)
        record_load(dataset, {"updated": report.updated, "unknown": report.unknown_pcodes})
    return report


def _load_population_files(dataset: Dataset, key: str, report: PopulationReport) -> None:
    for entry in dataset.files:
        part = load_population(
            path=dataset.path(entry),
            source=dataset.spec.get("attribution", key),
            year=dataset.spec.get("year"),
        )
        report.updated += part.updated
        report.unknown_pcodes += part.unknown_pcodes
