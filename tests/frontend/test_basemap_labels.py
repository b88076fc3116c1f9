"""The local basemap at street zoom, in Chromium: street and landmark names read from its
vector tiles (the small Bel Air extract of tests/basemap), and every vector tile asked with
the data's version (`?v=`) taken from the source's TileJSON."""

import json
import re
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest

from tests.basemap.conftest import OSM
from tests.frontend.browser import manage

CONFIG = re.compile(r'(<script id="komin-config" type="application/json">)(.*?)(</script>)', re.S)


@pytest.fixture(scope="module")
def bel_air(live_komin, tmp_path_factory):
    path = tmp_path_factory.mktemp("osm") / "bel-air.osm"
    path.write_text(OSM, encoding="utf-8")
    manage(live_komin.env, "load_osm_basemap", str(path))


def as_local_basemap(route):
    """The page as a server with KOMIN_BASEMAP=local renders it (the shared test server
    has no basemap): only the page's configuration changes."""
    response = route.fetch()

    def local(match):
        config = json.loads(match.group(2))
        config["basemap"] = {**config["basemap"], "kind": "local", "url": ""}
        text = json.dumps(config).replace("<", "\\u003C").replace(">", "\\u003E")
        return match.group(1) + text.replace("&", "\\u0026") + match.group(3)

    route.fulfill(response=response, body=CONFIG.sub(local, response.text(), count=1))


def open_bel_air(open_page, zoom):
    page = open_page()
    tiles = []
    page.on(
        "request",
        lambda r: (
            "/tiles/" in r.url and r.url.split("?")[0].endswith(".pbf") and tiles.append(r.url)
        ),
    )
    page.route(re.compile(r"/report/\?"), as_local_basemap)
    page.goto(f"/report/?lat=18.5480&lon=-72.3390&zoom={zoom}")
    page.wait_for_selector(".map[data-basemap=local]")
    return page, tiles


def test_street_and_landmark_names_show_at_street_zoom_only_hidden_from_screen_readers(
    open_page, bel_air
):
    page, _ = open_bel_air(open_page, 15)
    street = page.locator(".basemap-label span", has_text="Rue Tiremasse")
    street.first.wait_for(state="visible")
    assert page.locator(".basemap-label span", has_text="Boulevard Jean-Jacques Dessalines").count()
    assert page.locator(
        ".basemap-label-landmark span", has_text="Église Notre-Dame de Bel Air"
    ).count()
    assert page.locator(".leaflet-komin-labels-pane").get_attribute("aria-hidden") == "true"
    # One label per name per tile: not one per segment of the street.
    assert street.count() <= 4
    page.click(".leaflet-control-zoom-out")  # z14: below street zoom
    page.locator(".leaflet-komin-labels-pane.labels-hidden").wait_for(state="attached")
    assert not page.locator(".basemap-label span:visible").count()


def test_vector_tiles_carry_the_version_of_their_tilejson(open_page, live_komin, bel_air):
    page, tiles = open_bel_air(open_page, 15)
    page.wait_for_load_state("networkidle")
    expected = {}
    for source in ("basemap", "areas-section"):
        with urlopen(f"{live_komin.url}/tiles/{source}.json") as response:  # nosec B310
            template = json.load(response)["tiles"][0]
        expected[source] = parse_qs(urlsplit(template).query)["v"]
    asked = {urlsplit(url).path.split("/")[2] for url in tiles}
    assert {"basemap", "areas-section"} <= asked
    for url in tiles:
        source = urlsplit(url).path.split("/")[2]
        assert parse_qs(urlsplit(url).query).get("v") == expected.get(source), url
