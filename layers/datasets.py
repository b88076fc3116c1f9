"""The data-set catalogue: `data/*/sources.toml` says where each data set comes from,
its licence, attribution and checksums, and where the local mirror holds its files."""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CATALOGUES = sorted((Path(settings.BASE_DIR) / "data").glob("*/sources.toml"))


class DatasetError(Exception):
    """A data set is unknown, missing from the mirror or not the file we expect."""


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

    def verify(self) -> None:
        """Every file (and Shapefile sidecar) exists and matches its recorded checksum."""
        for entry in self.files:
            expected = {entry["file"]: entry.get("sha256")}
            stem = Path(entry["file"]).with_suffix("")
            expected.update({f"{stem}{ext}": sha for ext, sha in entry.get("sidecars", {}).items()})
            for name, sha in expected.items():
                path = self.folder / name
                if not path.exists():
                    raise DatasetError(
                        f"{self.key}: {path} is missing (is KOMIN_DATA_DIR={settings.KOMIN_DATA_DIR} right?)"
                    )
                if sha and sha256(path) != sha:
                    raise DatasetError(
                        f"{self.key}: {path} does not match its recorded sha256; "
                        "update data/*/sources.toml for a new release or pass --skip-checksum"
                    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
