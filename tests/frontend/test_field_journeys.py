"""Field journeys of issue 13 in Debian's Chromium against the live demo server: tapping
a school then a section, pinning a report by keyboard, the transparency page on a phone.
No console error, no uncaught exception and no request to an outside host (`open_page`)."""

import json

from tests.frontend.conftest import PHONE, on_slow_3g, shot

# Vector tiles through the service worker escape the page's network emulation: the page's
# fetch of a tile answers three seconds late.
SLOW_TILES = """
const pageFetch = window.fetch;
window.fetch = (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const answer = pageFetch(input, init);
  if (!url.includes(".pbf")) return answer;
  return answer.then((response) => new Promise((ok) => setTimeout(() => ok(response), 3000)));
};
"""


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
    """VectorGrid under Leaflet 1.9 threw on a tapped school, then the map took no tap.
    The schools come over slow 3G: the tap waits for the map to say its tiles are in."""
    page = open_page(PHONE, lang="fr")
    school = json.loads(page.request.get("/api/v1/layers/schools/features/?limit=1").text())
    feature = school["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    page.add_init_script(SLOW_TILES)
    open_map_at(page, lat, lon, 16)
    on_slow_3g(page)
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers-overlays label", has_text="Écoles").click()
    page.wait_for_selector("#map[data-layer_schools_tiles=loaded]")
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


def test_pinning_by_keyboard_and_filing_the_report(open_page):
    """No pointer: Tab to the map, Enter pins its centre, the arrow keys move the pin; the
    live region says where it is; the report is filed where the pin was left."""
    page = open_page(PHONE, lang="fr")
    lat, lon = 18.5435, -72.3390
    page.goto(f"/report/?lat={lat}&lon={lon}&zoom=17")
    page.wait_for_selector("#category option[value=pothole]", state="attached")
    page.focus("#use-location")
    for _ in range(10):  # back through the map's controls to the map itself
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.id") == "map":
            break
    assert page.evaluate("document.activeElement.id") == "map"
    page.keyboard.press("Enter")
    page.wait_for_selector("#map[data-chosen]")
    page.locator("#where[aria-live=polite]", has_text="Port-au-Prince").wait_for()
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # 10 px east each
    page.keyboard.press("Shift+ArrowUp")  # 50 px north
    page.locator("#where", has_text="Port-au-Prince").wait_for()
    page.select_option("#category", "pothole")
    page.wait_for_selector("#questions select")
    page.select_option("select[name='q:size']", "small")
    page.fill("textarea[name=description]", "Posé au clavier.")
    page.click("#send")
    page.wait_for_selector("#sent:not([hidden])")
    reference = page.inner_text("#sent-reference").strip()
    report = json.loads(page.request.get(f"/api/v1/reports/{reference}/").text())
    # At zoom 17 a pixel is about 1.1 m: 30 px east and 50 px north of the centre.
    assert 20 < (report["location"]["lon"] - lon) * 105_000 < 45
    assert 40 < (report["location"]["lat"] - lat) * 111_000 < 70


def test_the_transparency_page_fits_a_phone(open_page):
    page = open_page(PHONE, lang="fr")
    page.goto("/transparency/")
    page.wait_for_selector("#by-area tbody tr")
    page.wait_for_selector("#choropleth-legend li")
    legend = page.locator("#choropleth-legend").bounding_box()
    map_box = page.locator("#map").bounding_box()
    # The legend is under the map, not over the communes.
    assert legend["y"] >= map_box["y"] + map_box["height"] - 1, (legend, map_box)
    assert map_box["height"] >= 280
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator("#by-area").locator("xpath=..")
    widths = wrap.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1]  # the table scrolls in its frame instead of being cut
    wrap.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    assert wrap.evaluate("(el) => el.scrollLeft") > 0
    shot(page, "field-transparency-phone")
