"""Field journeys of issue 13 in Debian's Chromium against the live demo server: tapping
a school then a section, pinning a report by keyboard, the transparency page on a phone.
No console error, no uncaught exception and no request to an outside host (`open_page`)."""

import json

from tests.frontend.conftest import PHONE, shot


def open_map_at(page, lat: float, lon: float, zoom: int) -> None:
    page.goto("/")
    page.evaluate(
        "([lat, lon, zoom]) => sessionStorage.setItem('komin:view',"
        " JSON.stringify({center: [lat, lon], zoom}))",
        [lat, lon, zoom],
    )
    page.goto("/")
    page.wait_for_selector("#map[data-reports]")


def test_tapping_a_school_then_a_section_shows_both_popups(open_page):
    """VectorGrid under Leaflet 1.9 threw on a tapped school, then the map took no tap."""
    page = open_page(PHONE, lang="fr")
    school = json.loads(page.request.get("/api/v1/layers/schools/features/?limit=1").text())
    feature = school["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    open_map_at(page, lat, lon, 16)
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers-overlays label", has_text="Écoles").click()
    page.wait_for_selector("#map[data-layer_schools=on]")
    page.wait_for_load_state("networkidle")
    page.mouse.move(20, 600)  # the layer list folds away
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup .feature-popup")
    popup.wait_for()
    assert feature["properties"]["name"] in popup.inner_text()
    shot(page, "field-school-popup-phone")
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + box["height"] - 150)
    page.locator(".leaflet-popup dl.answers", has_text="Port-au-Prince").wait_for()
    popup.wait_for(state="detached")  # one popup at a time: the school's is gone
