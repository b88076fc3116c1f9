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
from tests.frontend.conftest import PHONE

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


def test_a_street_of_the_extract_is_searched_on_the_report_page_and_pinned(open_page, bel_air):
    """A citizen without GPS types part of a street's name in the report page's search box
    and chooses it with the keyboard: the map goes there, the pin is put on the street,
    the address is filled in, and the report is filed on that street."""
    page = open_page(PHONE, lang="ht")
    page.goto("/report/?lat=18.5560&lon=-72.3000&zoom=13")  # east of Bel Air, not on it
    page.wait_for_selector("#category option[value=pothole]", state="attached")
    street = json.loads(page.request.get("/search/?q=tiremasse&near=-72.3000,18.5560").text())[
        "results"
    ][0]
    assert (street["kind"], street["name"]) == ("street", "Rue Tiremasse")
    page.focus("#report-search-q")
    page.keyboard.type("tiremas")
    choice = page.locator("#report-search-results button", has_text="Rue Tiremasse")
    choice.wait_for()
    page.keyboard.press("Tab")  # to the first result
    assert "Rue Tiremasse" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_selector("#map[data-chosen]")
    page.locator("#where", has_text="Rue Tiremasse").wait_for()
    page.locator("#where", has_text="Port-au-Prince").wait_for()  # then its areas
    assert page.input_value("input[name=address]") == "Rue Tiremasse"
    page.select_option("#category", "pothole")
    page.wait_for_selector("#questions select")
    page.select_option("select[name='q:size']", "small")
    page.fill("textarea[name=description]", "Twou nan Ri Tiremasse.")
    page.click("#send")
    page.wait_for_selector("#sent:not([hidden])")
    reference = page.inner_text("#sent-reference").strip()
    report = json.loads(page.request.get(f"/api/v1/reports/{reference}/").text())
    assert abs(report["location"]["lon"] - street["lon"]) * 105_000 < 5  # metres
    assert abs(report["location"]["lat"] - street["lat"]) * 111_000 < 5
    assert report["address"] == "Rue Tiremasse"
