"""The data-set catalogue: `data/*/sources.toml` says where each data set is published,
its licence, attribution and checksums, and where the data folder holds its files."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from layers.data_fetch import FetchError, WantedFile, fetch_missing, recorded_sha256, sha256_of
from layers.data_recipes import make_file
from layers.publisher_recipes import make_from_publisher

CATALOGUES = sorted((Path(settings.BASE_DIR) / "data").glob("*/sources.toml"))


class DatasetError(Exception):
    """A data set is unknown, cannot be fetched or is not the file we expect."""


@dataclass(frozen=True)
class Dataset:
    key: str
    spec: dict

    @property
    def folder(self) -> Path:
        return Path(settings.KOMIN_DATA_DIR) / self.spec["mirror_path"]

    @property
    def files(self) -> list[dict]:
        return self.spec.get("files", [])

    def path(self, entry: dict) -> Path:
        return self.folder / entry["file"]

    def wanted(self) -> list[WantedFile]:
        """Every file (and Shapefile sidecar) with its checksum and where it is published."""
        found: dict[str, WantedFile] = {}
        recipe = self.spec.get("recipe")
        for entry in self.files:
            name = entry["file"]
            url = entry.get("url")
            members = {name: (entry.get("sha256"), url, entry.get("member"))}
            for ext, sha in entry.get("sidecars", {}).items():
                # A sidecar sits beside its .shp, in the folder and at the URL alike.
                side_url = url and url.removesuffix(Path(url).suffix) + ext
                side_member = entry.get("member") and str(Path(entry["member"]).with_suffix(ext))
                members[str(Path(name).with_suffix(ext))] = (sha, side_url, side_member)
            for file, (sha, file_url, member) in members.items():
                found[file] = WantedFile(
                    name=file,
                    relative=Path(self.spec["mirror_path"]) / file,
                    sha256=sha,
                    url=file_url,
                    archive=None if file_url else self.spec.get("download"),
                    member=member,
                    derived=entry.get("derived") or self.spec.get("derived"),
                    made_with=entry.get("made_with"),
                    recipe=recipe and {**recipe, "dataset": self.key},
                )
        return list(found.values())

    def verify(self, *, checksums: bool = True) -> None:
        """Fetch what is missing (mirror first, then the publisher), then check that every
        file matches its recorded checksum. Loaders call this before reading anything."""
        data_dir = Path(settings.KOMIN_DATA_DIR)
        mirror = Path(settings.KOMIN_DATA_MIRROR) if settings.KOMIN_DATA_MIRROR else None
        wanted = self.wanted()
        try:
            fetch_missing(
                label=self.key,
                wanted=wanted,
                data_dir=data_dir,
                mirror=mirror,
                make=make_file,
                fresh=make_from_publisher,
            )
        except FetchError as exc:
            raise DatasetError(str(exc)) from exc
        if not checksums:
            return
        for want in wanted:
            path = data_dir / want.relative
            actual = sha256_of(path) if want.sha256 else None
            # A file made from its publisher's current source: the sha256 its record holds.
            if actual and actual != want.sha256 and actual != recorded_sha256(path):
                raise DatasetError(
                    f"{self.key}: {path} does not match its recorded sha256 (corrupted or "
                    "another release): delete it to fetch it again, update data/*/sources.toml "
                    "for a new release, or pass --skip-checksum"
                )


def all_datasets() -> dict[str, Dataset]:
    found: dict[str, Dataset] = {}
    for catalogue in CATALOGUES:
        with open(catalogue, "rb") as handle:
            for key, spec in tomllib.load(handle).items():
                found[key] = Dataset(key=key, spec=spec)
    return found


def get_dataset(key: str) -> Dataset:
    datasets = all_datasets()
    if key not in datasets:
        raise DatasetError(f"unknown data set {key!r}; known: {', '.join(sorted(datasets))}")
    return datasets[key]
