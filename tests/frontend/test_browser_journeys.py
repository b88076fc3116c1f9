"""The four journeys of issue 5 in Debian's Chromium, against a live server with the demo
data: a citizen reports in Kreyòl with a photo, a crew member resolves it with a note, the
citizen's tracking page shows the resolution, a planner's choropleth has the right legend.
No console error and no request to an outside host (checked by `open_page`).

The tests run in order and share the report made by the first one."""

import io
import json
import re

import pytest
from PIL import Image

from tests.frontend.conftest import DESKTOP, PHONE, log_in, shot

# Port-au-Prince, on land, routed to the demo crew's roads team for potholes.
WHERE = (18.5435, -72.3390)
journey: dict = {}


def jpeg_photo() -> bytes:
    image = Image.new("RGB", (1200, 900), (120, 110, 100))
    for x in range(300, 900):
        for y in range(350, 550, 4):
            image.putpixel((x, y), (40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_citizen_reports_a_problem_in_kreyol_with_a_photo(open_page):
    page = open_page(PHONE)
    page.goto("/")
    page.click(".lang button[value=ht]")
    page.wait_for_selector("html[lang=ht]", state="attached")  # the page it leads to
    assert page.locator("nav.tabs").inner_text().count("Siyale yon pwoblèm") == 1
    shot(page, "01-citizen-map-ht-phone")

    page.goto(f"/report/?lat={WHERE[0]}&lon={WHERE[1]}&zoom=17")
    page.wait_for_load_state("networkidle")
    page.locator("#map").click(position={"x": 180, "y": 120})
    page.wait_for_selector("#map[data-chosen]")
    # Locator waits, not wait_for_function: its string predicate is eval'd in the page,
    # which our Content-Security-Policy (no 'unsafe-eval') refuses.
    page.locator("#where", has_text="Port-au-Prince").wait_for()
    assert "Port-au-Prince" in page.inner_text("#where")

    options = page.locator("#category option").all_inner_texts()
    assert "Twou nan wout" in options, options
    page.select_option("#category", "pothole")
    page.wait_for_selector("#questions select")
    assert "Gwosè twou a" in page.inner_text("#questions")
    # Sent without the required answer: the form says which question, next to it.
    page.click("#send")
    page.locator("select[name='q:size'][aria-invalid=true]").wait_for()
    assert "Fòk ou reponn kesyon sa a." in page.inner_text("#questions")
    assert "Gwosè twou a" in page.inner_text("#form-error")
    assert page.locator("select[name='q:size']:focus").count() == 1
    page.select_option("select[name='q:size']", "large")
    page.fill("textarea[name=description]", "Gwo twou nan mitan wout la, machin pa ka pase.")
    page.set_input_files(
        "#photos", files=[{"name": "twou.jpg", "mimeType": "image/jpeg", "buffer": jpeg_photo()}]
    )
    page.wait_for_selector("#photo-previews img")
    page.click("details summary")
    page.fill("input[name=email]", "sitwayen@example.org")
    shot(page, "02-report-form-ht-phone")

    page.click("#send")
    page.wait_for_selector("#sent:not([hidden])")
    reference = page.inner_text("#sent-reference").strip()
    assert re.fullmatch(r"\d{2}-[A-Z0-9]{6}", reference), reference
    assert "Mèsi! Siyalman ou an ale." in page.inner_text("#sent")
    link = page.get_attribute("#sent-link", "href")
    assert link.startswith(f"/r/{reference}/#token=")
    journey.update(reference=reference, link=link)
    data = json.loads(page.request.get(f"/api/v1/reports/{reference}/").text())
    journey.update(lat=data["location"]["lat"], lon=data["location"]["lon"])
    shot(page, "03-report-sent-ht-phone")

    page.goto("/report/")  # the phone remembers the report and its tracking link
    assert page.get_attribute(f"#mine-list a:has-text('{reference}')", "href") == link
    page.goto(link)
    page.wait_for_selector("#report[aria-busy=false]")
    assert page.locator("#report-status").inner_text() == "Voye"
    assert page.locator("#report-photos img").count() == 1
    shot(page, "04-tracking-submitted-ht-phone")


def test_a_neighbour_is_offered_me_too_instead_of_a_duplicate(open_page):
    page = open_page(PHONE, lang="ht")
    page.goto(f"/r/{journey['reference']}/")
    page.wait_for_selector("#report[aria-busy=false]")
    # The citizen's own pin, to the metre: open the form there through the map's popup.
    page.goto(f"/report/?at=1&lat={journey['lat']}&lon={journey['lon']}&zoom=17")
    page.select_option("#category", "pothole")
    card = page.locator("#nearby-list li", has_text=journey["reference"])
    card.wait_for()
    assert page.is_visible("#nearby")
    card.locator("button").click()
    card.get_by_text("Mèsi: 1 moun gen pwoblèm sa a.").wait_for()
    shot(page, "04b-me-too-ht-phone")


def test_crew_member_sees_it_and_resolves_it_with_a_note(open_page):
    reference = journey["reference"]
    page = open_page(PHONE)
    log_in(page, "crew")
    assert page.url.endswith("/crew/")
    page.wait_for_selector(f"#tickets li[data-reference='{reference}']")
    priorities = [
        int(p)
        for p in page.locator("#tickets li").evaluate_all("els => els.map(e => e.dataset.priority)")
    ]
    assert priorities == sorted(priorities, reverse=True)  # most urgent first
    shot(page, "05-crew-tickets-phone")

    page.click(f"#tickets li[data-reference='{reference}'] a")
    page.wait_for_selector("#ticket[aria-busy=false]")
    assert "sitwayen@example.org" in page.inner_text("#ticket-contact")
    page.select_option("#new-status", "in_progress")
    page.click("#transition button[type=submit]")
    page.wait_for_selector("#ticket[data-status=in_progress]")

    page.select_option("#new-status", "resolved")
    page.fill("textarea[name=public_note]", "Twou a bouche. Mèsi pou siyalman an.")
    page.fill("textarea[name=internal_note]", "Asphalte froid, 2 sacs.")
    page.set_input_files(
        "#transition input[name=photo]",
        files=[{"name": "apre.jpg", "mimeType": "image/jpeg", "buffer": jpeg_photo()}],
    )
    page.click("#transition button[type=submit]")
    page.wait_for_selector("#ticket[data-status=resolved]")
    # The confirmation, not a blank form: focused, under the form, saying what was saved.
    page.locator("#ticket-message:focus").wait_for()
    assert "Twou a bouche." in page.inner_text("#ticket-message")
    page.locator("#history li[data-status=resolved]").get_by_text("Twou a bouche.").wait_for()
    shot(page, "06-crew-ticket-resolved-phone")


def test_citizen_tracking_page_shows_the_resolution(open_page):
    page = open_page(PHONE, lang="ht")
    page.goto(journey["link"])
    page.wait_for_selector("#report[data-status=resolved]")
    page.wait_for_selector("#history li[data-status=resolved]")
    assert page.inner_text("#report-status") == "Rezoud"
    history = page.inner_text("#history")
    assert "Twou a bouche. Mèsi pou siyalman an." in history
    assert "Asphalte froid" not in history  # internal notes stay on the staff side
    assert page.locator("#history li[data-status=resolved] img").count() == 1
    assert page.is_visible("#reporter-actions")
    shot(page, "07-tracking-resolved-ht-phone")

    page.click("#confirm-fix")
    page.wait_for_selector("#report[data-status=closed]")
    assert page.inner_text("#report-status") == "Fèmen"
    shot(page, "08-tracking-confirmed-ht-phone")


def test_planner_choropleth_renders_with_the_right_legend(open_page):
    page = open_page(DESKTOP, lang="en")
    log_in(page, "planner")
    assert page.url.endswith("/dashboard/")
    page.wait_for_selector("#map[data-analysis=per_1000]")
    legend = page.locator("#choropleth-legend")
    assert legend.locator("strong").inner_text() == "Reports per 1,000 residents"

    rates = json.loads(page.request.get("/api/v1/analytics/rates/?level=section&detail=low").text())
    values = sorted(f["properties"]["reports_per_1000"] for f in rates["features"])
    positive = [v for v in values if v > 0]
    classes = int(page.get_attribute("#map", "data-classes"))
    items = legend.locator("li").all_inner_texts()
    assert items[0] == "No reports"
    assert len(items) == classes + 1 and 1 <= classes <= 5
    top = items[-1].split(" to ")[-1]
    assert float(top.replace(",", "")) == pytest.approx(max(positive), abs=0.0005)
    drawn = page.locator(".leaflet-overlay-pane path").count()
    assert drawn == len([f for f in rates["features"] if f["geometry"]])
    shot(page, "09-planner-choropleth-desktop")

    # A buffer of 100 km around the map's centre holds the demo reports of both cities.
    page.click("#draw-buffer")
    page.fill("#buffer-radius", "100000")
    page.click("#draw-buffer")
    page.locator("#map").click()
    page.wait_for_selector("#query-result strong")
    assert re.search(r"Reports: [1-9]\d*", page.inner_text("#query-result"))
    with page.expect_download() as download:
        page.click("[data-export=csv]")
    csv = download.value.path().read_text()
    assert csv.splitlines()[0].startswith("type,")
    assert journey["reference"] in csv
    shot(page, "11-planner-buffer-query-desktop")


def test_supervisor_hides_a_photo_and_the_public_no_longer_sees_it(open_page):
    page = open_page(DESKTOP, lang="fr")
    log_in(page, "supervisor")
    page.goto(f"/crew/{journey['reference']}/")
    page.wait_for_selector("#ticket[aria-busy=false]")
    page.fill("#moderate input[name=reason]", "Visage reconnaissable")
    first = page.locator("#photo-moderation [data-photo]").first
    photo = first.get_attribute("data-photo")
    first.locator("button").click()
    page.wait_for_selector(f"#photo-moderation [data-photo='{photo}'][data-hidden=yes]")
    assert "Afficher cette photo" in page.inner_text(f"#photo-moderation [data-photo='{photo}']")
    shot(page, "12-supervisor-moderation-desktop")
    page.select_option("#assign-priority", "4")
    page.fill("#assign input[name=note]", "Grand axe")
    page.click("#assign button[type=submit]")
    page.wait_for_selector("#ticket-priority.priority-4")
    assert page.inner_text("#ticket-priority") == "Urgente"
    public = open_page(PHONE, lang="ht")
    public.goto(f"/r/{journey['reference']}/")
    public.wait_for_selector("#report[aria-busy=false]")
    shown = [a.get_attribute("href") for a in public.locator("#report-photos a").all()]
    assert shown and not any(href.endswith(f"/photos/{photo}/") for href in shown), shown


def test_citizen_says_which_water_point_is_broken(open_page):
    page = open_page(PHONE, lang="en")
    page.goto("/report/?at=1&lat=19.757&lon=-72.205&zoom=17")
    page.select_option("#category", "water-point-broken")
    page.wait_for_selector("#assets:not([hidden]) #asset-list input")
    for select in page.locator("#questions select[required]").all():
        select.select_option(index=1)
    choice = page.locator("#asset-list input").nth(1)
    asset = int(choice.get_attribute("value"))
    choice.check()
    shot(page, "04c-water-point-choice-en-phone")
    page.click("#send")
    page.wait_for_selector("#sent:not([hidden])")
    reference = page.inner_text("#sent-reference").strip()
    report = json.loads(page.request.get(f"/api/v1/reports/{reference}/").text())
    assert report["asset"] == asset


def test_search_a_place_and_show_schools_on_the_citizen_map(open_page):
    page = open_page(PHONE, lang="fr")
    page.goto("/")
    page.fill("#search-q", "port-au-pri")
    page.locator("#search-results button", has_text="Port-au-Prince").first.click()
    page.wait_for_selector("#map:not([data-boundary-level=departement])")
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers-overlays label", has_text="Écoles").click()
    page.wait_for_selector("#map[data-layer_schools_tiles=loaded]")
    page.mouse.click(20, 600)  # close the layer list
    shot(page, "10-citizen-map-schools-phone")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["fr", "ht", "en"])
def test_every_page_renders_at_phone_and_desktop_size(open_page, viewport, lang):
    """Each page in each language, with no console error and no outside request; the
    screenshots are there to be looked at."""
    size = "phone" if viewport is PHONE else "desktop"
    page = open_page(viewport, lang=lang)
    for path, ready in [
        ("/", "#map[data-reports]"),
        ("/report/", "#category option[value=pothole]"),
        ("/transparency/", "#by-category tbody tr"),
        ("/login/", "input[name=username]"),
    ]:
        page.goto(path)
        page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == lang
        shot(page, f"tour-{lang}-{size}-{path.strip('/') or 'map'}")
    log_in(page, "supervisor")
    reference = journey.get("reference")
    for path, ready in [
        ("/crew/", "#tickets li"),
        (f"/crew/{reference}/", "#ticket[aria-busy=false]"),
        ("/dashboard/", "#map[data-analysis=per_1000]"),
    ]:
        page.goto(path)
        page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        name = "ticket" if reference in path else path.strip("/")
        shot(page, f"tour-{lang}-{size}-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is wider than the screen: {width}px"


def test_the_admin_map_widget_and_the_api_docs_run_under_the_csp(open_page):
    """Our Content-Security-Policy allows no inline script or style: Django's map widget
    and Swagger UI must start from static files (a CSP violation is a console error)."""
    page = open_page(DESKTOP)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "komin-admin-demo")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")  # logged in: the click does not wait for it
    page.goto("/admin/layers/feature/add/")
    page.wait_for_selector(".dj_map .ol-viewport")  # OpenLayers from /static/vendor/ol/
    shot(page, "admin-map-widget")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    shot(page, "api-docs")


# Communes as tenants (issue 11): the demo's three town halls.
DELMAS = (18.5470, -72.3000)  # commune HT0112
CAP = (19.7592, -72.2014)  # commune HT0311


def test_a_citizen_on_the_cap_haitien_page_files_a_report_that_reaches_cap_haitiens_team(
    open_page,
):
    page = open_page(PHONE)
    page.goto(f"/c/cap-haitien/report/?lat={CAP[0]}&lon={CAP[1]}&zoom=17")
    page.wait_for_load_state("networkidle")
    assert "Cap-Haïtien" in page.inner_text("a.brand")
    assert page.get_attribute("nav.tabs a[aria-current=page]", "href") == "/c/cap-haitien/report/"
    page.locator("#map").click(position={"x": 180, "y": 120})
    page.wait_for_selector("#map[data-chosen]")
    page.select_option("#category", "pothole")
    page.wait_for_selector("#questions select")
    page.select_option("select[name='q:size']", "large")
    page.fill("textarea[name=description]", "Gwo twou devan mache a.")
    page.click("#send")
    page.wait_for_selector("#sent:not([hidden])")
    reference = page.inner_text("#sent-reference").strip()
    shot(page, "20-cap-haitien-report-sent-phone")

    crew = open_page(PHONE)
    log_in(crew, "cap-crew")
    crew.wait_for_selector(f"#tickets li[data-reference='{reference}']")
    ticket = json.loads(crew.request.get(f"/api/v1/reports/{reference}/").text())
    assert ticket["staff"]["jurisdiction"] == "cap-haitien"
    assert ticket["team"] == "Travaux publics Cap-Haïtien"
    shot(crew, "21-cap-haitien-crew-tickets-phone")


def test_a_delmas_supervisor_sees_only_delmas_tickets(open_page):
    citizen = open_page(DESKTOP)
    citizen.goto("/")
    filed = citizen.request.post(
        "/api/v1/reports/",
        data={"category": "pothole", "lat": DELMAS[0], "lon": DELMAS[1],
              "answers": {"size": "small"}},
    )  # fmt: skip
    assert filed.status == 201, filed.text()
    delmas_ref = filed.json()["reference"]

    page = open_page(DESKTOP)
    log_in(page, "delmas-supervisor")
    page.goto("/crew/")
    page.wait_for_selector(f"#tickets li[data-reference='{delmas_ref}']")
    listed = page.locator("#tickets li").evaluate_all("els => els.map(e => e.dataset.reference)")
    where = {
        ref: json.loads(page.request.get(f"/api/v1/reports/{ref}/").text())["commune"]["pcode"]
        for ref in listed
    }
    assert set(where.values()) == {"HT0112"}, where
    # The national supervisor's list has the same ticket among those of other communes.
    national = open_page(DESKTOP)
    log_in(national, "supervisor")
    national.goto("/crew/")
    national.wait_for_selector(f"#tickets li[data-reference='{delmas_ref}']")
    assert national.locator("#tickets li").count() > len(listed)
    shot(page, "22-delmas-supervisor-tickets-desktop")


def test_citizen_finds_the_projects_in_their_section_and_reads_their_cost(open_page):
    """Issue 15: from the public works map, "my section" (the phone's location, in
    Port-au-Prince) lists its projects with their cost; the project page shows the money."""
    page = open_page(PHONE)
    page.goto("/projects/")
    page.wait_for_selector("#project-list li")
    assert page.locator("#project-list li").count() <= 20  # a page of the paged list
    assert page.inner_text("#project-count")
    page.click("#my-section")
    page.click("#section-go")
    page.wait_for_selector("#section[aria-busy=false]")
    card = page.locator("#section-projects li", has_text="rue Capois")
    assert "HTG" in card.inner_text()
    shot(page, "20-my-section-phone")
    card.locator("a").click()
    page.wait_for_selector("#project[aria-busy=false]")
    money = json.loads(page.request.get("/api/v1/projects/exemple-rue-capois/").text())["money"]
    shown = re.sub(r"\D", "", page.inner_text("#money-spent strong"))
    assert shown == str(round(float(money["spent"]))), (shown, money["spent"])
    assert page.is_visible("#sample")
    shot(page, "21-project-page-phone")
