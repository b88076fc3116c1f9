"""Loading the catalogued infrastructure layers (data/layers/sources.toml) by key."""

from django.db import transaction

from layers.datasets import get_dataset
from layers.models import Layer
from layers.services.catalogue import record_load
from layers.services.imports import ImportOptions, ImportReport, import_file


def load_layer_dataset(*, key: str, verify: bool = True) -> ImportReport:
    dataset = get_dataset(key)
    dataset.verify(checksums=verify)
    spec = dataset.spec
    entry = dataset.files[0]
    settings = dict(entry.get("import", {}))
    settings["null_values"] = tuple(settings.get("null_values", ()))
    options = ImportOptions(
        layer=spec["layer"],
        title=spec.get("title", ""),
        replace=True,
        layer_defaults={
            "description": spec.get("description", ""),
            "source": spec.get("source_url", ""),
            "licence": spec.get("licence", ""),
            "attribution": spec.get("attribution", ""),
            "style": spec.get("style", {}),
        },
        **settings,
    )
    with transaction.atomic():
        report = import_file(path=dataset.path(entry), options=options)
        Layer.objects.filter(slug=spec["layer"]).update(
            **{k: v for k, v in options.layer_defaults.items() if v}
        )
        record_load(dataset, {"created": report.created, "updated": report.updated})
    return report
