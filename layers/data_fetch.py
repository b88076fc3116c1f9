"""Fetching catalogued data files into the data folder (KOMIN_DATA_DIR).

A missing file is taken from the local mirror folder (KOMIN_DATA_MIRROR) when the mirror
holds it, else downloaded from where it is published: a direct URL, a zip archive, or a
zip found by name in an HDX data set (through HDX's CKAN API, so that no resource id is
hard-coded). Every file is hashed while it is written beside its final path and renamed
into place only when its sha256 is the recorded one: a corrupted or half-downloaded file
never reaches a loader. Plain urllib with timeouts, no other dependency.
"""

import fnmatch
import hashlib
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

from tqdm import tqdm

TIMEOUT_SECONDS = 30  # per connection and per read: a stalled server fails, a slow one does not
MAX_BYTES = 2 * 1024**3  # far above any catalogued file; a runaway server is cut off
CHUNK = 1 << 16
HDX_API = "https://data.humdata.org/api/3/action/package_show"
USER_AGENT = "komin-data-fetch (+https://github.com/; civic GIS data loader)"


class FetchError(Exception):
    """No source could provide a file that matches its recorded checksum."""


@dataclass(frozen=True)
class WantedFile:
    """One file a data set needs: where it goes, what it must hash to, where it comes from."""

    name: str  # file name in the data folder (and in the mirror)
    relative: Path  # path under the data folder and the mirror: mirror_path / name
    sha256: str | None
    url: str | None = None  # direct download of exactly this file
    archive: dict | None = None  # {"url": ...} or {"hdx": dataset, "resource": glob}
    member: str | None = None  # name of the file inside the archive (default: name)
    derived: str | None = None  # how a file was made when nobody publishes it as such
    # A recorded, deterministic recipe that makes the file from another catalogued data
    # set (layers.data_recipes); its result is verified against `sha256` like a download.
    made_with: dict | None = None
    # A recipe that makes the file from today's published source (layers.publisher_recipes)
    # where no checksum can hold: its result is checked by structure, and recorded.
    recipe: dict | None = None


Say = Callable[[str], None]
# Makes a wanted file from its recipe into a scratch folder: the file made, or None with
# the reason appended to `tried`.
Maker = Callable[[WantedFile, Path, list[str]], Path | None]
# Makes a wanted file from its publisher's current source: an object with `.path` (the
# file, checked by structure), `.sources` and `.checks` (recorded), or None as above.
FreshMaker = Callable[[WantedFile, Path, list[str]], object | None]
RECORD_SUFFIX = ".source.json"


def _say_stderr(message: str) -> None:
    print(f"[data] {message}", file=sys.stderr, flush=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_missing(
    *,
    label: str,
    wanted: list[WantedFile],
    data_dir: Path,
    mirror: Path | None,
    say: Say = _say_stderr,
    make: Maker | None = None,
    fresh: FreshMaker | None = None,
) -> list[str]:
    """Bring every wanted file that is absent from `data_dir` into place (from the mirror,
    the publisher, else its recipe); return their names. Raises FetchError naming the files
    that no source could provide and where to put them."""
    missing = [want for want in wanted if not (data_dir / want.relative).exists()]
    failed: dict[str, WantedFile] = {}
    reasons: list[str] = []
    with tempfile.TemporaryDirectory(prefix="komin-fetch-") as scratch:
        fetcher = _Network(scratch=Path(scratch))
        for want in missing:
            tried: list[str] = []
            if _from_mirror(want, data_dir, mirror, tried, say, label):
                continue
            if fetcher.fetch(want, data_dir, tried, say, label):
                continue
            if want.made_with and make and _made(want, make, data_dir, Path(scratch), tried):
                say(f"{label}: {want.name} made from {want.made_with['from']} and verified")
                continue
            if want.recipe and fresh and _fresh(want, fresh, data_dir, Path(scratch), tried):
                say(f"{label}: {want.name} made from its publisher, checked and recorded")
                continue
            failed[want.name] = want
            reasons.extend(reason for reason in tried if reason not in reasons)
    if failed:
        raise FetchError(_missing_message(label, list(failed.values()), data_dir, mirror, reasons))
    return [want.name for want in missing]


def _missing_message(label, failed: list[WantedFile], data_dir, mirror, reasons) -> str:
    folders = sorted({str(want.relative.parent) for want in failed})
    names = ", ".join(want.name for want in failed)
    lines = [f"{label}: {len(failed)} file(s) missing from {data_dir}: {names}."]
    lines += [f"  - {reason}" for reason in reasons or ["no source is known for them"]]
    lines += sorted({f"  - not published as such: {w.derived}" for w in failed if w.derived})
    put = " and ".join(str(data_dir / folder) + "/" for folder in folders)
    held = " and ".join(f"{folder}/" for folder in folders)
    elsewhere = (
        f"put them in the mirror folder {mirror}/{held}"
        if mirror
        else f"set KOMIN_DATA_MIRROR to a folder that holds {held}"
    )
    lines.append(f"  Put them in {put}, or {elsewhere}, then run the command again.")
    return "\n".join(lines)


def _made(want: WantedFile, make: Maker, data_dir: Path, scratch: Path, tried) -> bool:
    made = make(want, scratch, tried)
    if made is None:
        return False
    origin = f"the recipe {want.made_with.get('tool', '')} from {want.made_with['from']}".strip()
    with open(made, "rb") as handle:
        return _install(want, handle, data_dir, tried, origin, None, False)


def record_path(path: Path) -> Path:
    """Where the record of a file made from its publisher's current source is kept."""
    return path.with_name(path.name + RECORD_SUFFIX)


def recorded_sha256(path: Path) -> str | None:
    """The sha256 recorded when `path` was made from its publisher (None: no record)."""
    try:
        return json.loads(record_path(path).read_text()).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None


def _fresh(want: WantedFile, fresh: FreshMaker, data_dir: Path, scratch: Path, tried) -> bool:
    made = fresh(want, scratch, tried)
    if made is None:
        return False
    target = data_dir / want.relative
    record = {
        "file": want.name,
        "made_at": _now(),
        "recipe": want.recipe,
        "sources": made.sources,
        "checks": made.checks,
        "sha256": sha256_of(made.path),
        "note": "made from the publisher's current source: checked by structure, not by the "
        "catalogued sha256 (which is the mirror copy's)",
    }
    with open(made.path, "rb") as handle:
        if not _install(
            replace(want, sha256=record["sha256"]), handle, data_dir, tried, "", None, False
        ):
            return False
    partial = record_path(target).with_suffix(".part")
    partial.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    os.replace(partial, record_path(target))
    return True


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _from_mirror(want, data_dir, mirror, tried, say, label) -> bool:
    if not mirror:
        return False
    source = mirror / want.relative
    if not source.is_file():
        tried.append(f"not in the mirror {mirror}")
        return False
    with open(source, "rb") as handle:
        if _install(want, handle, data_dir, tried, f"mirror {source}", None, False):
            say(f"{label}: {want.name} copied from the mirror {source.parent}")
            return True
    return False


class _Network:
    """Downloads for one fetch: each archive is downloaded once however many members we
    need, and a host that could not be reached is not asked again for every file."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.archives: dict[str, Path] = {}
        self.down: dict[str, str] = {}  # host -> why it failed

    def fetch(self, want: WantedFile, data_dir: Path, tried: list[str], say: Say, label) -> bool:
        url = want.url or (want.archive and self._archive_url(want.archive, tried))
        if not url:
            return False
        host = urlsplit(url).netloc
        if host in self.down:
            tried.append(self.down[host])
            return False
        try:
            if want.url:
                with _open_url(url) as response:
                    ok = _install(want, response, data_dir, tried, url, _length(response), True)
            else:
                ok = self._from_archive(want, url, data_dir, tried)
        except urllib.error.HTTPError as exc:
            tried.append(f"{url}: HTTP {exc.code}")
            return False
        except (OSError, urllib.error.URLError) as exc:
            reason = getattr(exc, "reason", None) or exc
            self.down[host] = f"{url}: unreachable ({reason})"
            tried.append(self.down[host])
            return False
        except (ValueError, zipfile.BadZipFile) as exc:
            tried.append(f"{url}: {exc}")
            return False
        if ok:
            say(f"{label}: {want.name} fetched from {url}")
        return ok

    def _archive_url(self, spec: dict, tried: list[str]) -> str | None:
        if spec.get("url"):
            return spec["url"]
        key = f"hdx:{spec['hdx']}:{spec['resource']}"
        if key not in self.down:
            try:
                return _hdx_resource_url(spec["hdx"], spec["resource"])
            except urllib.error.HTTPError as exc:
                self.down[key] = f"HDX API for {spec['hdx']}: HTTP {exc.code}"
            except (OSError, urllib.error.URLError) as exc:
                reason = getattr(exc, "reason", None) or exc
                self.down[key] = f"HDX API for {spec['hdx']}: unreachable ({reason})"
            except (ValueError, KeyError) as exc:
                self.down[key] = str(exc)
        tried.append(self.down[key])
        return None

    def _from_archive(self, want: WantedFile, url: str, data_dir: Path, tried) -> bool:
        if url not in self.archives:
            target = self.scratch / (Path(urlsplit(url).path).name or "archive.zip")
            with _open_url(url) as response, open(target, "wb") as out:
                _copy(response, out, hashlib.sha256(), target.name, _length(response), True)
            self.archives[url] = target
        member = want.member or want.name
        with zipfile.ZipFile(self.archives[url]) as bundle:
            # Matched by base name: we write to our own path, never to the member's path.
            found = [i for i in bundle.infolist() if Path(i.filename).name == member]
            if not found:
                tried.append(f"{url} has no member {member}")
                return False
            with bundle.open(found[0]) as handle:
                return _install(want, handle, data_dir, tried, url, found[0].file_size, False)


def _hdx_resource_url(dataset: str, pattern: str) -> str:
    """The download URL of the resource of an HDX data set whose name matches `pattern`."""
    api = os.environ.get("KOMIN_HDX_API", HDX_API)
    with _open_url(f"{api}?{urlencode({'id': dataset})}") as response:
        package = json.load(response)
    resources = package.get("result", {}).get("resources", [])
    for resource in resources:
        if fnmatch.fnmatch(str(resource.get("name", "")).lower(), pattern.lower()):
            return resource["url"]
    names = ", ".join(str(r.get("name")) for r in resources) or "none"
    raise ValueError(f"HDX data set {dataset} lists no resource named {pattern} (it has: {names})")


def _open_url(url: str):
    # Only web URLs: a catalogue must never make us read file:// or ftp:// paths.
    if urlsplit(url).scheme not in ("https", "http"):
        raise ValueError(f"{url}: only http(s) downloads are allowed")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    # http(s) only, checked above.
    return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # nosec B310


def _length(response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.isdigit() else None


def _install(want, source: BinaryIO, data_dir: Path, tried, origin: str, size, bar) -> bool:
    """Write `source` beside the final path; rename it into place only if its checksum matches."""
    target = data_dir / want.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{want.name}.", suffix=".part")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            _copy(source, out, digest, want.name, size, bar)
        if want.sha256 and digest.hexdigest() != want.sha256:
            tried.append(
                f"{origin} gave a file whose sha256 is {digest.hexdigest()[:12]}…, "
                f"not the recorded {want.sha256[:12]}…: refused"
            )
            return False
        os.replace(partial, target)
        return True
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _copy(source: BinaryIO, out: BinaryIO, digest, label: str, size: int | None, show) -> None:
    total = 0
    with tqdm(
        total=size, desc=label, unit="B", unit_scale=True, leave=False, disable=not show
    ) as bar:
        for block in _blocks(source):
            total += len(block)
            if total > MAX_BYTES:
                raise ValueError(f"{label}: larger than {MAX_BYTES} bytes, abandoned")
            digest.update(block)
            out.write(block)
            bar.update(len(block))


def _blocks(source: BinaryIO) -> Iterator[bytes]:
    while block := source.read(CHUNK):
        yield block
