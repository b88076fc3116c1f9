"""The app on unreliable networks, in Chromium: a report filed offline is kept and sent
once when the network returns; an offline reload shows the app, not the browser's error
page; a crew's status change with a photo goes through an emulated slow 3G link, the
photo shrunk on the phone first."""

import io
import json
import uuid
from datetime import UTC, datetime

import pytest
from PIL import Image

from tests.frontend.browser import Guard, browser_database_url
from tests.frontend.conftest import PHONE, log_in, on_slow_3g, shot

WHERE = (18.5435, -72.3390)


def fresh_rate_limits() -> None:
    """The live server's database is kept between runs: its anonymous report limit
    (10 an hour from 127.0.0.1) would refuse these reports after a few runs."""
    import psycopg2

    conn = psycopg2.connect(browser_database_url())
    with conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM komin_rate_counter")
    conn.close()


@pytest.fixture
def phone(chromium, live_komin):
    """A phone's browser context; while it is offline, the failed loads it logs are
    expected, anything else (uncaught errors, outside hosts) fails the test."""
    fresh_rate_limits()
    context = chromium.new_context(
        viewport=PHONE,
        base_url=live_komin.url,
        geolocation={"latitude": WHERE[0], "longitude": WHERE[1]},
        permissions=["geolocation"],
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    guard = Guard(live_komin.url)
    guard.watch(page)
    yield context, page
    context.close()
    problems = [
        p for p in guard.problems if "ERR_INTERNET_DISCONNECTED" not in p and "Failed to" not in p
    ]
    assert not problems, "\n".join(problems)


def controlled(page) -> None:
    """Waits until the service worker is active, then loads the page again through it
    (which keeps this page for offline use)."""
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def test_a_report_filed_offline_is_kept_then_sent_once(phone, live_komin):
    context, page = phone
    started = datetime.now(UTC).isoformat()
    page.goto(f"/report/?lat={WHERE[0]}&lon={WHERE[1]}&zoom=17")
    controlled(page)
    page.select_option("#category", "pothole")  # its questions are kept for offline use
    page.wait_for_selector("#questions select")
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    page.reload()  # the app from the service worker, not the browser's error page
    assert page.locator("h1").first.is_visible()
    assert page.locator("#report-form").is_visible()
    assert page.locator("#offline-error, .neterror").count() == 0
    page.locator("#map").click(position={"x": 180, "y": 120})
    page.wait_for_selector("#map[data-chosen]")
    page.select_option("#category", "pothole")
    page.wait_for_selector("#questions select")
    page.select_option("select[name='q:size']", "large")
    description = f"Offline {uuid.uuid4()}"
    page.fill("textarea[name=description]", description)
    page.click("#send")
    page.wait_for_selector("#kept:not([hidden])")
    assert "1" in page.inner_text("#outbox [data-outbox=waiting]")
    shot(page, "offline-01-report-kept")

    page.goto("/offline-never-visited/")  # a page never kept: the offline page
    assert "/offline/" not in page.url and page.locator("main h1").count() == 1

    context.set_offline(False)
    page.goto("/report/")  # online again: the outbox sends what waited
    page.wait_for_selector("#outbox [data-outbox=sent]")
    assert page.locator("#outbox [data-outbox=waiting]").count() == 0
    mine = json.loads(page.evaluate("() => localStorage.getItem('komin:mine')"))
    assert len(mine) == 1
    box = f"{WHERE[1] - 0.01},{WHERE[0] - 0.01},{WHERE[1] + 0.01},{WHERE[0] + 0.01}"
    listed = page.request.get(
        "/api/v1/reports/", params={"bbox": box, "created_after": started, "page_size": 50}
    ).json()
    sent = [r["reference"] for r in listed["results"] if r["description"] == description]
    assert sent == list(mine)  # once, not twice (other tests may file reports nearby)
    shot(page, "offline-02-report-sent")


def big_photo() -> bytes:
    image = Image.linear_gradient("L").resize((2400, 1800)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_a_crew_status_change_with_a_photo_over_slow_3g(phone, live_komin):
    context, page = phone
    body = {"category": "pothole", "lat": WHERE[0], "lon": WHERE[1], "answers": {"size": "small"}}
    created = page.request.post("/api/v1/reports/", data=body)
    assert created.status == 201, created.text()
    reference = created.json()["reference"]
    log_in(page, "crew")
    page.goto(f"/crew/{reference}/")
    page.wait_for_selector("#ticket[aria-busy=false]")

    on_slow_3g(page)
    photo = big_photo()
    page.select_option("#new-status", "acknowledged")
    page.fill("textarea[name=public_note]", "Nou wè l.")
    page.set_input_files(
        "#transition input[name=photo]",
        files=[{"name": "travay.jpg", "mimeType": "image/jpeg", "buffer": photo}],
    )
    with page.expect_request(lambda r: r.url.endswith("/transition/?lang=fr")) as sent:
        page.click("#transition button[type=submit]")
    assert sent.value.headers.get("idempotency-key")
    assert sent.value.headers.get("if-match") == '"1"'
    page.wait_for_selector("#ticket[data-status=acknowledged]", timeout=60_000)
    assert sent.value.sizes()["requestBodySize"] < len(photo) / 2  # shrunk on the phone
    page.locator("#history li[data-status=acknowledged] img").wait_for()
    shot(page, "offline-03-crew-slow-3g")
