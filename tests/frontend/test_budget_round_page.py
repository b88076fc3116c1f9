"""Issue 15, the participatory budget page: a resident proposes with a point on the map,
another votes within the budget (the running total refuses an over-budget ballot), and
the results appear with the numbers behind them once the planner publishes them."""

from tests.frontend.conftest import PHONE, log_in

CAP = "/budget/exemple-budget-participatif-cap-2026/"
PAP = "exemple-budget-participatif-pap-2026"


def test_propose_vote_within_the_budget_and_see_the_results(open_page):
    resident = open_page(PHONE)
    log_in(resident, "citizen")
    resident.goto(CAP)
    resident.wait_for_selector("#budget-round[aria-busy=false]")
    resident.fill("#propose input[name=title]", "Lampadaires rue 17")
    resident.fill("#propose input[name=estimated_cost]", "400000")
    resident.click("#map", position={"x": 180, "y": 120})
    resident.click("#propose button[type=submit]")
    resident.wait_for_selector("#proposals li:has-text('Lampadaires rue 17')")
    assert "400" in resident.inner_text("#proposals li:has-text('Lampadaires rue 17')")

    voter = open_page(PHONE)
    log_in(voter, "gis")
    voter.goto(f"/budget/{PAP}/")
    voter.wait_for_selector("#ballot-choices input")
    for title in ("Éclairage solaire", "Fontaine publique", "Poubelles"):  # 4.9 M of 5 M
        voter.check(f"#ballot-choices label:has-text('{title}') input")
    voter.check("#ballot-choices label:has-text('Réparation des bancs') input")  # 5.55 M
    assert voter.is_disabled("#ballot button[type=submit]")
    assert "error" in voter.get_attribute("#running-total", "class")
    voter.uncheck("#ballot-choices label:has-text('Poubelles') input")
    voter.click("#ballot button[type=submit]")
    voter.wait_for_selector("#round-message.notice:not([hidden])")
    assert voter.is_hidden("#ballot")

    planner = open_page(PHONE)
    log_in(planner, "planner")
    token = next(c["value"] for c in planner.context.cookies() if c["name"] == "csrftoken")
    moved = planner.request.post(f"/api/v1/participation/rounds/{PAP}/phase/",
                                 data={"phase": "results"}, headers={"X-CSRFToken": token})  # fmt: skip
    assert moved.ok, moved.text()
    voter.goto(f"/budget/{PAP}/")
    voter.wait_for_selector("#results:not([hidden]) tbody tr")
    row = voter.locator("#results tbody tr", has_text="Fontaine publique")
    assert row.get_attribute("data-funded") == "true" and "1" in row.inner_text()
    assert "1" in voter.inner_text("#results-figures")  # one ballot counted
    assert voter.locator("#proposals a[href^='/projects/']").count() >= 1
