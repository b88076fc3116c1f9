"""Issue 14, live updates: a crew's ticket list gains a ticket filed in another browser,
without a reload, with a "new ticket" notice (Server-Sent Events through gunicorn)."""

from tests.frontend.conftest import DESKTOP, PHONE, log_in

CAP = (19.7592, -72.2014)  # Cap-Haïtien: routed to the demo "cap-crew" team


def test_a_crew_list_gains_a_ticket_filed_in_another_browser(open_page):
    crew = open_page(PHONE)
    log_in(crew, "cap-crew")
    crew.wait_for_selector("body[data-live=on]")
    before = crew.locator("#tickets li").count()

    citizen = open_page(DESKTOP)
    citizen.goto("/")
    filed = citizen.request.post(
        "/api/v1/reports/",
        data={"category": "pothole", "lat": CAP[0], "lon": CAP[1], "answers": {"size": "large"},
              "description": "Twou nan wout la"},
    )  # fmt: skip
    assert filed.status == 201, filed.text()
    reference = filed.json()["reference"]

    crew.wait_for_selector(f"#tickets li[data-reference='{reference}']")
    assert crew.locator("#tickets li").count() == before + 1
    assert reference in crew.inner_text("#live-notice")
    assert crew.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
