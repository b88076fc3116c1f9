"""axe-core (from npm, injected by Playwright) on every page of the app, at phone size:
no serious or critical violation of WCAG 2 A/AA, and an h1 on each page."""

import json

from tests.frontend.browser import ROOT
from tests.frontend.conftest import PHONE, log_in

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    # The page's Content-Security-Policy forbids inline scripts: the context bypasses it
    # for the test's own script only (bypass_csp below).
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run(document, {json.dumps(RULES)})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check(page, path: str, ready: str, problems: dict) -> None:
    page.goto(path)
    page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")
    found = serious_violations(page)
    if page.locator("h1").count() == 0:
        found.append("no h1")
    if found:
        problems[path] = found


def test_no_serious_accessibility_violation_on_any_page(open_page):
    page = open_page(PHONE, lang="ht", bypass_csp=True)
    problems: dict = {}
    reference = page.request.get("/api/v1/reports/?page_size=1").json()["results"][0]["reference"]
    for path, ready in [
        ("/", "#map[data-reports]"),
        ("/report/", "#category option[value=pothole]"),
        (f"/r/{reference}/", "#report[aria-busy=false]"),
        ("/transparency/", "#by-category tbody tr"),
        ("/c/port-au-prince/", "#map[data-reports]"),
        ("/budget/exemple-budget-participatif-pap-2026/", "#budget-round[aria-busy=false]"),
        ("/login/", "input[name=username]"),
    ]:
        check(page, path, ready, problems)
    log_in(page, "supervisor")
    for path, ready in [
        ("/crew/", "#tickets li"),
        (f"/crew/{reference}/", "#ticket[aria-busy=false]"),
        ("/dashboard/", "#map[data-analysis=per_1000]"),
    ]:
        check(page, path, ready, problems)
    planner = open_page(PHONE, lang="ht", bypass_csp=True)
    log_in(planner, "planner")
    check(planner, "/dashboard/", "#map[data-analysis=per_1000]", problems)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_no_serious_accessibility_violation_on_the_staff_pages(open_page):
    """The town hall's budget and project pages (no script needed) and a crew's pages."""
    page = open_page(PHONE, lang="fr", bypass_csp=True)
    problems: dict = {}
    log_in(page, "planner")
    for path, ready in [
        ("/manage/budgets/", "main h1"),
        ("/manage/budgets/new/", "main form"),
        ("/manage/budgets/exemple-budget-participatif-pap-2026/", "main form"),
        ("/manage/projects/", "main h1"),
        ("/manage/projects/new/", "main form"),
    ]:
        check(page, path, ready, problems)
    crew = open_page(PHONE, lang="fr", bypass_csp=True)
    log_in(crew, "crew")
    reference = crew.request.get("/api/v1/reports/?page_size=1").json()["results"][0]["reference"]
    check(crew, "/crew/", "#tickets", problems)
    check(crew, f"/crew/{reference}/", "#ticket[aria-busy=false]", problems)
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
