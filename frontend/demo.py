"""Demo data of the frontend: the place-name gazetteer for the search box."""

from frontend.services import load_places
from layers.datasets import get_dataset
from layers.services.catalogue import is_loaded, record_load

PLACES = "hti-places-geonames"


def load(*, stdout) -> None:
    dataset = get_dataset(PLACES)
    if is_loaded(dataset):
        return
    dataset.verify()
    report = load_places(path=dataset.path(dataset.files[0]), dataset=PLACES)
    record_load(dataset, {"created": report.created, "updated": report.updated})
    stdout.write(f"places: {report.created} created, {report.updated} updated")
