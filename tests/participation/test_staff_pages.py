"""The town hall's own page for budget rounds: administrators and planners of the
commune open and edit a round (amount, dates, verification) and move its phase; others
are refused, per action and per commune; refusals name the field."""

from decimal import Decimal

import pytest

from participation.models import BudgetRound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, api):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages below are the English ones
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")


def test_a_planner_opens_edits_and_advances_a_round_of_their_commune(client, towns):
    client.force_login(towns.people.delmas_planner)
    listing = client.get("/manage/budgets/")
    assert listing.status_code == 200 and b"/manage/budgets/new/" in listing.content
    form = client.get("/manage/budgets/new/").content.decode()
    assert 'value="delmas"' in form and 'value="cap-haitien"' not in form
    made = client.post("/manage/budgets/new/", {
        "jurisdiction": "delmas", "slug": "pb-staff", "title_fr": "Budget 2027",
        "amount": "750000", "verification": "phone", "starts_on": "2027-01-10",
        "ends_on": "2027-02-10", "max_choices": ""})  # fmt: skip
    assert made.status_code == 302 and made["Location"] == "/manage/budgets/pb-staff/"
    budget_round = BudgetRound.objects.get(slug="pb-staff")
    assert (budget_round.amount, budget_round.verification, str(budget_round.ends_on)) == (
        Decimal("750000.00"), "phone", "2027-02-10")  # fmt: skip
    edit = "/manage/budgets/pb-staff/"
    assert b'value="2027-01-10"' in client.get(edit).content
    client.post(edit, {"title_fr": "Budget 2027", "title_ht": "Bidjè 2027", "amount": "800000",
                       "verification": "account", "max_choices": "3", "starts_on": "",
                       "ends_on": ""})  # fmt: skip
    budget_round.refresh_from_db()
    assert (budget_round.title_ht, budget_round.amount, budget_round.max_choices) == (
        "Bidjè 2027", Decimal("800000.00"), 3)  # fmt: skip
    assert budget_round.starts_on is None and budget_round.verification == "account"
    for phase in ("review", "voting"):
        client.post(edit, {"phase": phase})
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"
    frozen = client.post(edit, {"title_fr": "B", "amount": "1", "verification": "account",
                                "max_choices": "3"})  # fmt: skip
    assert (
        frozen.status_code == 400
        and "cannot change once the vote is open" in frozen.content.decode()
    )


def test_bad_input_is_named_not_a_500(client, towns):
    client.force_login(towns.people.delmas_admin)
    bad = client.post("/manage/budgets/new/", {"jurisdiction": "delmas", "slug": "x y",
                                               "title_fr": "", "amount": "-5",
                                               "starts_on": "2027-02-01", "ends_on": "2027-01-01"})  # fmt: skip
    assert bad.status_code == 400 and bad.content.decode().count("field-error") >= 3
    backwards = client.post("/manage/budgets/new/", {"jurisdiction": "delmas", "slug": "pb-d",
                                                     "title_fr": "T", "amount": "5",
                                                     "starts_on": "2027-02-01", "ends_on": "2027-01-01"})  # fmt: skip
    assert backwards.status_code == 400 and "ends on or after" in backwards.content.decode()
    assert not BudgetRound.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "delmas_supervisor", "delmas_crew", "delmas_gis"])
def test_people_without_the_action_are_refused(client, towns, who):
    client.force_login(getattr(towns.people, who))
    assert client.get("/manage/budgets/").status_code == 403
    assert client.post("/manage/budgets/new/", {"jurisdiction": "delmas"}).status_code == 403


def test_a_planner_of_another_commune_cannot_touch_the_round(client, towns):
    BudgetRound.objects.create(slug="pb-cap", jurisdiction=towns.j["cap"], title_fr="Cap",
                               amount=Decimal("10.00"))  # fmt: skip
    client.force_login(towns.people.delmas_planner)
    assert b"pb-cap" not in client.get("/manage/budgets/").content
    assert client.get("/manage/budgets/pb-cap/").status_code == 403
    assert client.post("/manage/budgets/pb-cap/", {"phase": "review"}).status_code == 403
    foreign = client.post("/manage/budgets/new/", {"jurisdiction": "cap-haitien", "slug": "pb-x",
                                                   "title_fr": "X", "amount": "5"})  # fmt: skip
    assert foreign.status_code == 400 and not BudgetRound.objects.filter(slug="pb-x").exists()
    assert BudgetRound.objects.get(slug="pb-cap").phase == "proposals"
    client.logout()
    assert client.get("/manage/budgets/").status_code == 302  # to the log-in page


def test_the_api_edits_a_round_with_the_same_rules(api, towns):
    BudgetRound.objects.create(slug="pb-api", jurisdiction=towns.j["delmas"], title_fr="A",
                               amount=Decimal("10.00"))  # fmt: skip
    api.force_authenticate(towns.people.pap_admin)
    url = "/api/v1/participation/rounds/pb-api/"
    assert api.patch(url, {"amount": "20.00"}, format="json").status_code == 403
    api.force_authenticate(towns.people.delmas_admin)
    done = api.patch(url, {"verification": "phone", "ends_on": "2027-03-01"}, format="json")
    assert done.status_code == 200
    assert (done.json()["verification"], done.json()["ends_on"]) == ("phone", "2027-03-01")
    assert api.patch(url, {"verification": "fax"}, format="json").status_code == 400


def test_the_admin_lists_rounds_proposals_and_comments_of_the_commune_only(client, towns):
    from participation.models import Proposal, ProposalComment

    delmas = BudgetRound.objects.create(slug="pb-adm", jurisdiction=towns.j["delmas"],
                                        title_fr="Delmas", amount=Decimal("10.00"))  # fmt: skip
    proposal = Proposal.objects.create(round=delmas, title="Kiosque", estimated_cost=5)
    ProposalComment.objects.create(proposal=proposal, body="Avis de Delmas")
    client.force_login(towns.people.delmas_supervisor)
    for path in ("proposal", "proposalcomment", "proposalmoderation", "commentmoderation"):
        assert client.get(f"/admin/participation/{path}/").status_code == 200, path
    assert b"Kiosque" in client.get("/admin/participation/proposal/").content
    assert b"Kiosque" in client.get("/admin/participation/proposalcomment/").content
    assert client.get(f"/admin/participation/proposalcomment/{proposal.comments.get().pk}/change/"
                      ).status_code == 200  # fmt: skip
    client.force_login(towns.people.pap_supervisor)
    assert b"Kiosque" not in client.get("/admin/participation/proposal/").content
    assert client.get(f"/admin/participation/proposal/{proposal.pk}/change/").status_code in (
        302,
        403,
    )
    client.force_login(towns.people.delmas_admin)
    assert b"pb-adm" in client.get("/admin/participation/budgetround/").content
    assert client.get("/admin/projects/project/").status_code == 200
