"""Issue 15, a consultation's page: a resident answers on a phone (a choice and their
area), the planner closes it, and the results appear on the page (bar chart, areas
coloured by the leading answer); axe-core finds no serious violation. The consultation
is made afresh each run (the browser database is kept between runs)."""

import uuid
from datetime import UTC, datetime, timedelta

from tests.frontend.conftest import PHONE, log_in
from tests.frontend.test_axe import serious_violations

URL = "/api/v1/participation/consultations/"


def planner_api(open_page):
    page = open_page(PHONE)
    log_in(page, "planner")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")

    def post(url, data=None):
        response = page.request.post(url, data=data or {}, headers={"X-CSRFToken": token})
        assert response.ok, response.text()
        return response.json()

    return page, post


def test_a_resident_answers_and_sees_the_results_after_the_close(open_page):
    page, post = planner_api(open_page)
    sample = page.request.get(f"{URL}?jurisdiction=port-au-prince").json()["results"]
    areas = page.request.get(sample[-1]["page"].replace("/consultations/", URL)).json()["areas"]
    now = datetime.now(UTC)
    title = f"Marché {uuid.uuid4().hex[:6]}"
    made = post(URL, {
        "jurisdiction": "port-au-prince", "title_fr": title, "areas": [a["id"] for a in areas],
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(), "anonymous": True,
        "questions": [{"code": "market", "datatype": "singlevaluelist", "required": True,
                       "label_fr": "Un nouveau marché ?", "label_en": "A new market?",
                       "values": [{"key": "yes", "name_fr": "Oui"}, {"key": "no", "name_fr": "Non"}]},
                      {"code": "where", "datatype": "point", "label_fr": "Où ?"}],
    })  # fmt: skip

    resident = open_page(PHONE)
    log_in(resident, "citizen")
    resident.goto(made["page"])
    resident.wait_for_selector("#consultation[aria-busy=false]")
    assert resident.is_visible("#consultation-anonymous") and resident.is_hidden("#results")
    resident.check("#questions label:has-text('Oui') input")
    resident.select_option("#answer select[name=area]", str(areas[1]["id"]))
    resident.click("#answer button[type=submit]")
    resident.wait_for_selector("#already-answered:not([hidden])")
    assert resident.is_hidden("#answer")

    post(f"{URL}{made['id']}/close/")
    visitor = open_page(PHONE, lang="ht", bypass_csp=True)
    visitor.goto(made["page"])
    visitor.wait_for_selector("#results:not([hidden]) svg.chart")
    assert visitor.inner_text("#results-figures").startswith("1 ")
    row = visitor.locator("#results tbody tr").filter(has_text=areas[1]["name"])
    assert row.locator("td").first.inner_text() == "Oui"
    visitor.select_option("#map-measure", "market")
    assert visitor.locator("#map-legend li").count() == 3  # yes, no, no answer or a tie
    assert not serious_violations(visitor)
