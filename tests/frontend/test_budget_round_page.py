"""Issue 15, the participatory budget page: a resident proposes with a point on the map,
another votes within the budget (the running total refuses an over-budget ballot), and
the results appear with the numbers behind them once the planner publishes them. The
round is made afresh each run (the browser database is kept between runs)."""

import uuid

from tests.frontend.conftest import PHONE, log_in


def staff(open_page, username):
    page = open_page(PHONE)
    log_in(page, username)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")

    def post(url, data):
        response = page.request.post(f"/api/v1/participation/{url}", data=data,
                                     headers={"X-CSRFToken": token})  # fmt: skip
        assert response.ok, response.text()
        return response.json()

    return post


def test_propose_vote_within_the_budget_and_see_the_results(open_page):
    slug = f"pb-e2e-{uuid.uuid4().hex[:8]}"
    planner = staff(open_page, "planner")
    planner("rounds/", {"slug": slug, "jurisdiction": "port-au-prince", "title_fr": "PB e2e",
                        "amount": "1000000.00"})  # fmt: skip
    planner(f"rounds/{slug}/proposals/", {"title": "Fontaine", "estimated_cost": "500000.00"})
    planner(f"rounds/{slug}/proposals/", {"title": "Bancs", "estimated_cost": "300000.00"})

    resident = open_page(PHONE)
    log_in(resident, "citizen")
    resident.goto(f"/budget/{slug}/")
    resident.wait_for_selector("#budget-round[aria-busy=false]")
    resident.fill("#propose input[name=title]", "Lampadaires")
    resident.fill("#propose input[name=estimated_cost]", "400000")
    resident.click("#map", position={"x": 180, "y": 120})
    resident.click("#propose button[type=submit]")
    resident.wait_for_selector("#proposals li:has-text('Lampadaires')")
    assert "400" in resident.inner_text("#proposals li:has-text('Lampadaires')")
    mine = resident.locator("#proposals > li", has_text="Lampadaires")  # comments, as "Marie"
    mine.locator("summary").click()
    mine.locator("textarea[name=body]").fill("Bonne idée pour la rue")
    mine.locator("input[name=display_name]").fill("Marie")
    mine.locator(".comment-form button[type=submit]").click()
    assert "Marie" in mine.locator(".comments li", has_text="Bonne idée").inner_text()

    supervisor = staff(open_page, "supervisor")
    for proposal in planner(f"rounds/{slug}/phase/", {"phase": "review"})["proposals"]:
        supervisor(f"proposals/{proposal['id']}/review/", {"decision": "accepted"})
    planner(f"rounds/{slug}/phase/", {"phase": "voting"})

    voter = open_page(PHONE)
    log_in(voter, "gis")
    voter.goto(f"/budget/{slug}/")
    for title in ("Lampadaires", "Fontaine", "Bancs"):  # 1.2 M of 1 M
        voter.check(f"#ballot-choices label:has-text('{title}') input")
    assert voter.is_disabled("#ballot button[type=submit]")
    assert "error" in voter.get_attribute("#running-total", "class")
    voter.uncheck("#ballot-choices label:has-text('Bancs') input")  # 900,000
    voter.click("#ballot button[type=submit]")
    voter.wait_for_selector("#round-message.notice:not([hidden])")
    assert voter.is_hidden("#ballot")

    planner(f"rounds/{slug}/phase/", {"phase": "results"})
    voter.goto(f"/budget/{slug}/")
    voter.wait_for_selector("#results:not([hidden]) tbody tr")
    votes = {row.locator("td").first.inner_text(): row.get_attribute("data-funded")
             for row in voter.locator("#results tbody tr").all()}  # fmt: skip
    assert votes == {"Fontaine": "true", "Lampadaires": "true", "Bancs": "false"}
    assert voter.inner_text("#results-figures").startswith("1 ")  # one ballot counted
    assert voter.locator("#proposals a[href^='/projects/']").count() == 2


def test_a_round_by_phone_asks_for_the_number_before_the_ballot(open_page):
    slug = f"pb-tel-{uuid.uuid4().hex[:8]}"
    planner = staff(open_page, "planner")
    planner("rounds/", {"slug": slug, "jurisdiction": "port-au-prince", "title_fr": "PB tel",
                        "amount": "1000.00", "verification": "phone"})  # fmt: skip
    for phase in ("review", "voting"):
        planner(f"rounds/{slug}/phase/", {"phase": phase})
    voter = open_page(PHONE)
    log_in(voter, "crew")
    voter.goto(f"/budget/{slug}/")
    voter.wait_for_selector("#budget-round[aria-busy=false]")
    assert voter.is_visible("#phone-check input[name=phone]") and voter.is_hidden("#ballot")
