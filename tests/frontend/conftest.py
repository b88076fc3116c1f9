from urllib.parse import urlsplit

import pytest

from tests.frontend.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Guard, LiveServer


@pytest.fixture(scope="session")
def live_komin(tmp_path_factory):
    """Komin served by gunicorn against its own database loaded with the demo data; one
    server for every browser test file (starting it, migrate and the demo included, is
    most of their time)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(tmp_path_factory.mktemp("komin-live"))
    server.start()
    yield server
    server.stop()


# Per module: Playwright's sync API runs an event loop in this thread while it is open, and
# Django then refuses database calls of the (transactional) tests that run after.
@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def open_page(chromium, live_komin):
    """open_page(viewport, lang) -> a page whose console errors and outside requests fail
    the test when it ends."""
    contexts, guards = [], []

    def make(viewport=PHONE, lang=None, **options):
        context = chromium.new_context(
            **options,
            viewport=viewport,
            base_url=live_komin.url,
            geolocation={"latitude": 18.5435, "longitude": -72.3390},
            permissions=["geolocation"],
            locale="fr-FR",
        )
        if lang:
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_komin.url}])
        page = context.new_page()
        page.set_default_timeout(20_000)
        guard = Guard(live_komin.url)
        guard.watch(page)
        contexts.append(context)
        guards.append(guard)
        return page

    yield make
    for context in contexts:
        context.close()
    problems = [problem for guard in guards for problem in guard.problems]
    assert not problems, "\n".join(problems)


def shot(page, name: str) -> None:
    """A screenshot kept as a test artefact (test-artifacts/browser/, not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# Chromium's "Slow 3G" preset (bytes per second, milliseconds).
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 500 * 1024 / 8,
           "uploadThroughput": 500 * 1024 / 8}  # fmt: skip


def on_slow_3g(page) -> None:
    """The page's own requests from now on as over a slow 3G link (Chromium's emulation;
    requests the service worker makes escape it)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"komin-{username}-demo")
    page.click("form.stack button[type=submit]")
    # The click does not wait for the page it leads to, and the log-in page was already
    # network idle: wait until the browser has left it, then for the new page to settle.
    page.wait_for_url(lambda url: urlsplit(url).path != "/login/")
    page.wait_for_load_state("networkidle")
