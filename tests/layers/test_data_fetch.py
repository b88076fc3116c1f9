"""Data fetched from its sources: a local HTTP server (127.0.0.1, in a thread) stands in for
the publishers and serves the real files of the mirror; the catalogue is the real one with
its https:// URLs pointed at that server."""

import io
import json
import socket
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from layers import datasets
from layers.data_fetch import FetchError, WantedFile, fetch_missing, sha256_of
from layers.datasets import DatasetError, all_datasets, get_dataset
from layers.models import AdminArea, Feature
from layers.services.layer_datasets import load_layer_dataset

MIRROR = Path(settings.KOMIN_DATA_MIRROR) if settings.KOMIN_DATA_MIRROR else None
pytestmark = pytest.mark.skipif(
    not (MIRROR and MIRROR.is_dir()), reason="the tests serve the files of the local mirror"
)
WATER = "cap-haitien-waterpoints"
HDX_ZIP = "hti_adm_cnigs_20181129_SHP.zip"


class Publisher:
    """What the fake publishers serve: path -> bytes, and which paths were asked for."""

    def __init__(self):
        self.routes: dict[str, bytes] = {}
        self.requests: list[str] = []

    def handler(self):
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                path = unquote(parts.path)
                publisher.requests.append(path)
                # A route may name its query (HDX's API: "...package_show?id=cod-ps-hti").
                body = publisher.routes.get(f"{path}?{parts.query}", publisher.routes.get(path))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def publisher(tmp_path, monkeypatch, settings):
    """A local server for every catalogued URL, an empty data folder, no mirror."""
    served = Publisher()
    server = ThreadingHTTPServer(("127.0.0.1", 0), served.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    point_catalogues_at(base, tmp_path / "catalogues", monkeypatch)
    serve_mirror_files(served)
    monkeypatch.setenv("KOMIN_HDX_API", f"{base}/data.humdata.org/api/3/action/package_show")
    settings.KOMIN_DATA_DIR = tmp_path / "data"
    settings.KOMIN_DATA_MIRROR = ""
    served.base = base
    yield served
    server.shutdown()
    server.server_close()


def point_catalogues_at(base: str, folder: Path, monkeypatch) -> None:
    """The real catalogues with every https://host/path made http://127.0.0.1:port/host/path."""
    copies = []
    for catalogue in datasets.CATALOGUES:
        copy = folder / catalogue.parent.name / "sources.toml"
        copy.parent.mkdir(parents=True)
        copy.write_text(catalogue.read_text().replace("https://", f"{base}/"))
        copies.append(copy)
    monkeypatch.setattr(datasets, "CATALOGUES", copies)


def serve_mirror_files(served: Publisher) -> None:
    """Each file with a URL, and HDX's API and zip for archives, served from the mirror."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for dataset in all_datasets().values():
            for want in dataset.wanted():
                data = (MIRROR / want.relative).read_bytes()
                if want.url:
                    served.routes[unquote(urlsplit(want.url).path)] = data
                elif want.archive:
                    bundle.writestr(f"hti_adm_cnigs_20181129/{want.name}", data)
    served.routes[f"/hdx/{HDX_ZIP}"] = archive.getvalue()
    served.routes["/data.humdata.org/api/3/action/package_show"] = b""  # set per test


def serve_hdx(served: Publisher, archive: bytes | None = None) -> None:
    if archive is not None:
        served.routes[f"/hdx/{HDX_ZIP}"] = archive
    package = {
        "success": True,
        "result": {
            "resources": [
                {"name": "hti_adminboundaries_tabulardata.xlsx", "url": f"{served.base}/x"},
                {"name": HDX_ZIP, "url": f"{served.base}/hdx/{HDX_ZIP}"},
            ]
        },
    }
    served.routes["/data.humdata.org/api/3/action/package_show"] = json.dumps(package).encode()


def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_fetch_into_an_empty_data_dir_downloads_verifies_and_loads(publisher):
    report = load_layer_dataset(key=WATER)

    folder = Path(settings.KOMIN_DATA_DIR) / "haiti/infrastructure/cap_haitien_waterpoints"
    assert sorted(p.name for p in folder.iterdir()) == [
        "waterpoints_clip.dbf",
        "waterpoints_clip.prj",
        "waterpoints_clip.shp",
        "waterpoints_clip.shx",
    ]
    for path in folder.iterdir():
        assert sha256_of(path) == sha256_of(MIRROR / path.relative_to(settings.KOMIN_DATA_DIR))
    assert any(path.endswith("waterpoints_clip.dbf") for path in publisher.requests)
    assert report.rows == 1849
    assert Feature.objects.filter(layer__slug="water-points").count() == 1849


@pytest.mark.django_db
def test_an_hdx_release_is_found_through_the_api_and_its_zip_read_once(publisher):
    serve_hdx(publisher)

    call_command("fetch_data", "hti-cod-ab")

    dataset = get_dataset("hti-cod-ab")
    for want in dataset.wanted():
        assert sha256_of(Path(settings.KOMIN_DATA_DIR) / want.relative) == want.sha256
    assert len(dataset.wanted()) == 15
    assert publisher.requests.count(f"/hdx/{HDX_ZIP}") == 1


@pytest.mark.django_db
def test_a_corrupted_download_is_refused_and_nothing_is_loaded(haiti, publisher):
    corrupted = io.BytesIO()
    with zipfile.ZipFile(corrupted, "w") as bundle:
        for want in get_dataset("hti-cod-ab").wanted():
            data = (MIRROR / want.relative).read_bytes()
            if want.name == "hti_admbnda_adm2_cnigs_20181129.dbf":
                data = data.replace(b"Cap-Ha", b"Cap-Xx", 1)
            bundle.writestr(want.name, data)
    serve_hdx(publisher, corrupted.getvalue())
    names_before = dict(AdminArea.objects.values_list("pcode", "name_fr"))

    with pytest.raises(CommandError) as refused:
        call_command("load_boundaries", "--dataset", "hti-cod-ab")

    message = str(refused.value)
    assert message.startswith("nothing was loaded")
    assert "hti_admbnda_adm2_cnigs_20181129.dbf" in message
    assert "sha256" in message and "refused" in message
    folder = Path(settings.KOMIN_DATA_DIR) / "haiti/boundaries"
    assert not (folder / "hti_admbnda_adm2_cnigs_20181129.dbf").exists()
    assert not list(folder.glob(".*.part"))  # nothing half-written left behind
    assert dict(AdminArea.objects.values_list("pcode", "name_fr")) == names_before


@pytest.mark.django_db
def test_a_corrupted_direct_download_leaves_the_layer_as_it_was(publisher):
    dbf = next(p for p in publisher.routes if p.endswith("waterpoints_clip.dbf"))
    publisher.routes[dbf] = publisher.routes[dbf][:-100] + b"\0" * 100
    before = Feature.objects.filter(layer__slug="water-points").count()

    with pytest.raises(DatasetError, match=r"waterpoints_clip\.dbf.*sha256.*refused"):
        load_layer_dataset(key=WATER)

    assert Feature.objects.filter(layer__slug="water-points").count() == before


def test_no_server_and_no_mirror_names_the_file_and_where_to_put_it(publisher, monkeypatch):
    port = dead_port()
    monkeypatch.setattr(
        datasets,
        "CATALOGUES",
        [rewrite(c, publisher.base, f"http://127.0.0.1:{port}") for c in datasets.CATALOGUES],
    )

    with pytest.raises(DatasetError) as missing:
        get_dataset(WATER).verify()

    message = str(missing.value)
    folder = Path(settings.KOMIN_DATA_DIR) / "haiti/infrastructure/cap_haitien_waterpoints"
    assert "waterpoints_clip.shp" in message and "waterpoints_clip.dbf" in message
    assert f"127.0.0.1:{port}" in message and "unreachable" in message
    assert f"Put them in {folder}/" in message
    assert "KOMIN_DATA_MIRROR" in message
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_nobody_publishes_says_how_it_was_made(publisher):
    with pytest.raises(DatasetError) as missing:
        get_dataset("hti-population-2019").verify()

    message = str(missing.value)
    assert "hti_population_ihsi_unfpa_2019.csv" in message
    assert "cod-ps-hti" in message and "not published as such" in message


@pytest.mark.django_db
def test_the_mirror_is_used_when_offline(publisher, monkeypatch, settings):
    port = dead_port()
    monkeypatch.setattr(
        datasets,
        "CATALOGUES",
        [rewrite(c, publisher.base, f"http://127.0.0.1:{port}") for c in datasets.CATALOGUES],
    )
    settings.KOMIN_DATA_MIRROR = str(MIRROR)

    report = load_layer_dataset(key=WATER)

    assert report.rows == 1849
    assert publisher.requests == []
    copied = Path(settings.KOMIN_DATA_DIR) / "haiti/infrastructure/cap_haitien_waterpoints"
    assert len(list(copied.iterdir())) == 4


def test_a_corrupted_mirror_copy_is_refused_and_the_publisher_asked(publisher, tmp_path, settings):
    bad_mirror = tmp_path / "mirror"
    target = bad_mirror / "rasters" / "elev_luxembourg.tif"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"II*\0 not the raster")
    settings.KOMIN_DATA_MIRROR = str(bad_mirror)

    get_dataset("terra-elev-luxembourg").verify()

    fetched = Path(settings.KOMIN_DATA_DIR) / "rasters" / "elev_luxembourg.tif"
    assert sha256_of(fetched) == sha256_of(MIRROR / "rasters" / "elev_luxembourg.tif")
    assert any(path.endswith("/elev.tif") for path in publisher.requests)


def test_a_corrupted_file_in_the_data_dir_is_refused_not_replaced(publisher, settings):
    path = Path(settings.KOMIN_DATA_DIR) / "rasters" / "elev_luxembourg.tif"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"truncated")

    with pytest.raises(DatasetError, match="delete it to fetch it again"):
        get_dataset("terra-elev-luxembourg").verify()

    assert path.read_bytes() == b"truncated"
    get_dataset("terra-elev-luxembourg").verify(checksums=False)  # --skip-checksum


def test_only_web_urls_are_fetched(tmp_path):
    want = WantedFile(name="passwd", relative=Path("passwd"), sha256=None, url="file:///etc/passwd")
    with pytest.raises(FetchError, match="only http"):
        fetch_missing(label="x", wanted=[want], data_dir=tmp_path, mirror=None, say=print)
    assert not (tmp_path / "passwd").exists()


def test_every_file_of_the_mirror_is_catalogued():
    catalogued = {str(w.relative) for d in all_datasets().values() for w in d.wanted()}
    on_disk = {
        str(path.relative_to(MIRROR))
        for path in MIRROR.rglob("*")
        if path.is_file() and path.name != "README.md"
    }
    assert on_disk - catalogued == set()
    assert catalogued - on_disk == set()


def rewrite(catalogue: Path, old: str, new: str) -> Path:
    catalogue.write_text(catalogue.read_text().replace(old, new))
    return catalogue


FIXTURES = "hti-pap-fixtures"


def test_a_file_nobody_publishes_is_made_by_its_recipe_byte_for_byte(publisher):
    serve_hdx(publisher)

    get_dataset(FIXTURES).verify()

    folder = Path(settings.KOMIN_DATA_DIR) / "haiti/boundaries"
    for name in ("pap_commune_HT0111_adm2.geojson", "pap_sections_HT0111_adm3.geojson"):
        assert sha256_of(folder / name) == sha256_of(MIRROR / "haiti/boundaries" / name)
    assert publisher.requests.count(f"/hdx/{HDX_ZIP}") == 1  # its source, fetched once


def test_a_recipe_from_a_corrupted_release_makes_nothing(publisher):
    corrupted = io.BytesIO()
    with zipfile.ZipFile(corrupted, "w") as bundle:
        for want in get_dataset("hti-cod-ab").wanted():
            data = (MIRROR / want.relative).read_bytes()
            if want.name == "hti_admbnda_adm2_cnigs_20181129.dbf":
                data = data.replace(b"Port-au-Prince", b"Port-au-Xxxxxx", 1)
            bundle.writestr(want.name, data)
    serve_hdx(publisher, corrupted.getvalue())

    with pytest.raises(DatasetError) as missing:
        get_dataset(FIXTURES).verify()

    message = str(missing.value)
    assert "pap_commune_HT0111_adm2.geojson" in message
    assert "made from hti-cod-ab" in message and "refused" in message
    folder = Path(settings.KOMIN_DATA_DIR) / "haiti/boundaries"
    assert not (folder / "pap_commune_HT0111_adm2.geojson").exists()
    assert not list(folder.glob(".*.part"))
