"""Puts an untrusted file where GDAL may open it, and only it.

The file's real kind is sniffed from its first bytes and must match its name; zips are
unpacked by us (no `../`, no absolute paths, no symlinks, no bombs, sizes counted as
they are read); text is re-encoded to UTF-8. GDAL then opens a plain path inside a
fresh temporary folder that holds nothing but the source and its own sidecars, never a
/vsi path, a URL or a VRT, so no source can make it read another file or the network.
"""

import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from layers import conf
from layers.imports import ImportFailed
from layers.imports.encodings import python_encoding
from layers.imports.kml import check_kml

KINDS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".csv": "csv",
    ".shp": "shapefile",
}
SHAPEFILE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
TEXT_KINDS = ("geojson", "kml", "csv")
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Staged:
    path: Path
    kind: str
    folder: Path


def kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        raise ImportFailed(
            f"{name}: unsupported file type {suffix or '(none)'}; "
            "send GeoJSON, GeoPackage, a zipped Shapefile, KML or CSV"
        )
    return KINDS[suffix]


def check_local_path(path: str) -> Path:
    if path.startswith("/vsi") or "://" in path:
        raise ImportFailed(f"{path}: only local files can be imported")
    local = Path(path)
    if not local.is_file():
        raise ImportFailed(f"{path}: no such file")
    return local


class Stage:
    """A temporary folder for one import; use as a context manager."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="komin-import-")
        self.folder = Path(self._tmp.name)

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc) -> None:
        self._tmp.cleanup()

    def add(
        self, source: Path, name: str, *, encoding: str | None = None, srid: int | None = None
    ) -> Staged:
        """Copies `source` (whose user-facing name is `name`) into the stage, checked."""
        kind = kind_of(name)
        size = source.stat().st_size
        if size > conf.import_max_bytes():
            raise ImportFailed(
                f"{name}: {size} bytes is more than the limit of {conf.import_max_bytes()}"
            )
        if size == 0:
            raise ImportFailed(f"{name}: the file is empty")
        check_content(source, name, kind)
        if kind == "zip":
            return self._unzip(source, name, encoding=encoding, srid=srid)
        if kind == "shapefile":
            return self._shapefile(source, name, srid=srid)
        target = self.folder / f"source{Path(name).suffix.lower()}"
        if kind in TEXT_KINDS:
            _copy_as_utf8(source, target, name, encoding)
        else:
            shutil.copyfile(source, target)
        return Staged(path=target, kind=kind, folder=self.folder)

    def _shapefile(self, source: Path, name: str, *, srid: int | None) -> Staged:
        target = self.folder / "source.shp"
        shutil.copyfile(source, target)
        for ext in SHAPEFILE_SIDECARS:
            sidecar = _sibling(source, ext)
            if sidecar is not None:
                shutil.copyfile(sidecar, self.folder / f"source{ext}")
        check_shapefile_parts(self.folder, "source", name, srid=srid)
        return Staged(path=target, kind="shapefile", folder=self.folder)

    def _unzip(self, source: Path, name: str, *, encoding: str | None, srid: int | None) -> Staged:
        try:
            archive = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise ImportFailed(f"{name}: not a readable zip file ({exc})") from exc
        with archive:
            members = _checked_members(archive, name)
            unpacked = self.folder / "unzipped"
            unpacked.mkdir()
            for info in members:
                _extract(archive, info, unpacked / PurePosixPath(info.filename).name, name)
        return self._pick_from_zip(unpacked, name, encoding, srid)

    def _pick_from_zip(
        self, unpacked: Path, name: str, encoding: str | None, srid: int | None
    ) -> Staged:
        shapefiles = sorted(p for p in unpacked.iterdir() if p.suffix.lower() == ".shp")
        if len(shapefiles) > 1:
            raise ImportFailed(f"{name}: holds {len(shapefiles)} Shapefiles; send one per zip")
        if shapefiles:
            stem = shapefiles[0].stem
            check_content(shapefiles[0], f"{name}:{shapefiles[0].name}", "shapefile")
            check_shapefile_parts(unpacked, stem, name, srid=srid)
            return Staged(path=shapefiles[0], kind="shapefile", folder=unpacked)
        others = sorted(
            p for p in unpacked.iterdir() if KINDS.get(p.suffix.lower()) not in (None, "zip")
        )
        if len(others) != 1:
            raise ImportFailed(
                f"{name}: expected one Shapefile or one GeoJSON/GeoPackage/KML/CSV inside, "
                f"found {[p.name for p in others] or 'none'}"
            )
        inner = others[0]
        return self.add(inner, f"{name}:{inner.name}", encoding=encoding, srid=srid)


def _sibling(path: Path, ext: str) -> Path | None:
    for candidate in (path.with_suffix(ext), path.with_suffix(ext.upper())):
        if candidate.is_file():
            return candidate
    return None


def check_shapefile_parts(folder: Path, stem: str, name: str, *, srid: int | None) -> None:
    present = {p.suffix.lower() for p in folder.iterdir() if p.stem == stem}
    for ext, why in ((".shx", "its index"), (".dbf", "its attributes")):
        if ext not in present:
            raise ImportFailed(f"{name}: the Shapefile has no {ext} file ({why}); send all parts")
    if ".prj" not in present and srid is None:  # the EPSG code given stands for the .prj
        raise ImportFailed(
            f"{name}: the Shapefile has no .prj file, so its coordinate system is unknown; "
            "add the .prj or say the EPSG code (--srid)"
        )


def _checked_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    files = [info for info in infos if not info.is_dir()]
    if len(infos) > conf.import_max_zip_members():
        raise ImportFailed(f"{name}: {len(infos)} entries is more than a GIS file needs")
    total = 0
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in info.filename:
            raise ImportFailed(f"{name}: refused, entry {info.filename!r} points outside the zip")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ImportFailed(f"{name}: refused, entry {info.filename!r} is a symbolic link")
        if info.flag_bits & 0x1:
            raise ImportFailed(f"{name}: entry {info.filename!r} is encrypted")
        if info.file_size > 1024 * 1024 and info.file_size > conf.import_max_zip_ratio() * max(
            info.compress_size, 1
        ):
            raise ImportFailed(
                f"{name}: refused, entry {info.filename!r} expands {info.file_size} bytes from "
                f"{info.compress_size} (a zip bomb?)"
            )
        total += info.file_size
    if total > conf.import_max_unzipped_bytes():
        raise ImportFailed(
            f"{name}: unzipped size {total} bytes is more than the limit of "
            f"{conf.import_max_unzipped_bytes()}"
        )
    names = [PurePosixPath(info.filename).name.lower() for info in files]
    if len(set(names)) != len(names):
        raise ImportFailed(f"{name}: two entries have the same file name in different folders")
    return [info for info in files if not PurePosixPath(info.filename).name.startswith(".")]


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Copies one member, counting bytes as they come: headers can lie about sizes."""
    limit = info.file_size
    written = 0
    with archive.open(info) as source, open(target, "wb") as out:
        while block := source.read(1 << 20):
            written += len(block)
            if written > limit or written > conf.import_max_unzipped_bytes():
                raise ImportFailed(f"{name}: entry {info.filename!r} is larger than it says")
            out.write(block)


def check_content(path: Path, name: str, kind: str) -> None:
    """Refuses a file whose first bytes say it is not what its name says."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    actual = sniff(head)
    if kind == "zip" and actual == "zip":
        return
    if actual != kind and not (kind == "csv" and actual == "text"):
        said = {"text": "plain text", "binary": "unrecognised binary data"}.get(actual, actual)
        raise ImportFailed(
            f"{name}: the file is not a {kind} as its name says (it looks like {said})"
        )
    if kind == "kml":
        check_kml(path, name)


def sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"\x00\x00\x27\x0a"):
        return "shapefile"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith(b"<"):
        return "kml" if b"<kml" in text.lower() else "xml"
    if b"\x00" in head:
        return "binary"
    return "csv" if b"," in head or b";" in head or b"\t" in head else "text"


def _copy_as_utf8(source: Path, target: Path, name: str, encoding: str | None) -> None:
    data = source.read_bytes()
    try:
        text = data.decode(python_encoding(encoding) if encoding else "utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{name}: not valid {encoding or 'UTF-8'} text (byte {data[exc.start]:#04x} at "
            f"position {exc.start}); say the file's encoding, e.g. encoding=latin-1"
        ) from None
    target.write_text(text.removeprefix("\ufeff"), encoding="utf-8")
