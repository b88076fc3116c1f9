"""Participatory budget rounds: phases forward only, review with reasons, a knapsack
ballot within the budget (or a fixed number), one ballot per person also under
concurrent votes, results computed with the numbers behind them."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from communes.access import actor_for
from communes.models import Jurisdiction
from participation.models import Ballot, BudgetRound, Proposal
from participation.services import AlreadyVoted, ballot_cast
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
COSTS = ["400000.00", "350000.00", "300000.00", "150000.00"]


@pytest.fixture
def voting(towns):
    budget_round = BudgetRound.objects.create(slug="pb-delmas-2026", jurisdiction=towns.j["delmas"],
                                              title_fr="Budget participatif", amount=Decimal("800000.00"),
                                              phase="voting")  # fmt: skip
    proposals = [Proposal.objects.create(round=budget_round, title=f"P{i}", status="accepted",
                                         estimated_cost=Decimal(c)) for i, c in enumerate(COSTS)]  # fmt: skip
    return budget_round, proposals


def vote(api, user, budget_round, proposals):
    api.force_authenticate(user)
    return api.post(f"/api/v1/participation/rounds/{budget_round.slug}/ballot/",
                    {"proposals": [p.pk for p in proposals]}, format="json")  # fmt: skip


def test_a_planner_opens_a_round_and_moves_it_forward_only(api, towns):
    api.force_authenticate(towns.people.delmas_planner)
    made = api.post("/api/v1/participation/rounds/", {"slug": "pb", "jurisdiction": "delmas",
                    "title_fr": "PB", "amount": "500000.00"}, format="json")  # fmt: skip
    assert made.status_code == 201 and made.json()["ballot"] == "knapsack"
    url = "/api/v1/participation/rounds/pb/phase/"
    assert api.post(url, {"phase": "voting"}, format="json").status_code == 400  # skips review
    assert api.post(url, {"phase": "review"}, format="json").json()["phase"] == "review"
    assert api.post(url, {"phase": "proposals"}, format="json").status_code == 400


def test_residents_propose_and_supervisors_review_with_reasons(api, towns):
    budget_round = BudgetRound.objects.create(slug="pb", jurisdiction=towns.j["delmas"],
                                              title_fr="PB", amount=Decimal("1000.00"))  # fmt: skip
    api.force_authenticate(towns.people.citizen)
    url = "/api/v1/participation/rounds/pb/proposals/"
    assert (
        api.post(url, {"title": "Banc", "estimated_cost": "5000.00"}, format="json").status_code
        == 400
    )
    created = api.post(url, {"title": "Lampadaire", "estimated_cost": "300.00",
                             "lon": f.DELMAS[0], "lat": f.DELMAS[1]}, format="json")  # fmt: skip
    assert created.status_code == 201
    proposal = Proposal.objects.get(round=budget_round)
    api.force_authenticate(towns.people.delmas_supervisor)
    review = f"/api/v1/participation/proposals/{proposal.pk}/review/"
    refused = api.post(review, {"decision": "rejected"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["detail"]
    done = api.post(review, {"decision": "rejected", "reason": "Déjà prévu"}, format="json")
    assert done.json() == {"id": proposal.pk, "status": "rejected", "reason": "Déjà prévu"}
    api.force_authenticate(None)
    assert api.post(url, {"title": "X", "estimated_cost": "1.00"}, format="json").status_code in (
        401,
        403,
    )


def test_a_knapsack_ballot_stays_within_the_budget_and_counts_once(api, towns, voting):
    budget_round, p = voting
    over = vote(api, towns.people.citizen, budget_round, p[:3])  # 1,050,000 > 800,000
    assert over.status_code == 400 and "over the budget" in over.json()["detail"]
    assert vote(api, towns.people.citizen, budget_round, [p[0], p[1]]).status_code == 201
    again = vote(api, towns.people.citizen, budget_round, [p[3]])
    assert again.status_code == 409 and again.json()["error"] == "already_voted"
    assert Ballot.objects.filter(round=budget_round).count() == 1


def test_a_fixed_number_ballot_and_proposals_of_the_round_only(api, towns, voting):
    budget_round, p = voting
    BudgetRound.objects.filter(pk=budget_round.pk).update(max_choices=1)
    assert vote(api, towns.people.citizen, budget_round, p[2:]).status_code == 400
    stranger = Proposal.objects.create(round=BudgetRound.objects.create(
        slug="other", jurisdiction=budget_round.jurisdiction, title_fr="O", amount=10,
        phase="voting"), title="O", estimated_cost=1, status="accepted")  # fmt: skip
    assert vote(api, towns.people.citizen, budget_round, [stranger]).status_code == 400
    assert vote(api, towns.people.citizen, budget_round, [p[3]]).status_code == 201


def test_results_fund_by_votes_what_fits_with_the_numbers(api, towns, voting):
    budget_round, p = voting
    ballots = [[0, 3], [0, 3], [1, 3], [1], [2], [0]]  # votes: P0 3, P3 3, P1 2, P2 1
    for i, chosen in enumerate(ballots):
        user = get_user_model().objects.create_user(f"voter{i}")
        assert vote(api, user, budget_round, [p[j] for j in chosen]).status_code == 201
    api.force_authenticate(None)
    url = f"/api/v1/participation/rounds/{budget_round.slug}/results/"
    assert api.get(url).status_code == 409  # not before the results phase
    BudgetRound.objects.filter(pk=budget_round.pk).update(phase="results")
    body = api.get(url).json()
    # Independently: by votes, ties the cheaper first; fund what still fits.
    order = sorted(range(4), key=lambda i: (-sum(i in b for b in ballots), Decimal(COSTS[i])))
    left, funded = Decimal("800000.00"), []
    for i in order:
        if Decimal(COSTS[i]) <= left:
            left -= Decimal(COSTS[i])
            funded.append(f"P{i}")
    assert [r["title"] for r in body["proposals"]] == [f"P{i}" for i in order]
    assert [r["title"] for r in body["proposals"] if r["funded"]] == funded
    assert Decimal(body["left"]) == left and body["ballots"] == len(ballots)


def test_one_ballot_per_person_under_concurrent_votes(towns):
    """Eight votes of one person at the same instant, each on its own connection that
    commits: the unique constraint lets exactly one through, the others are refused."""
    ids = {}

    def setup():
        cleanup_leftovers()  # of a run that was killed before its cleanup
        jurisdiction = Jurisdiction.objects.create(slug="race", name_fr="Race", pcodes=[],
                                                   open311_id="race.komin.ht")  # fmt: skip
        budget_round = BudgetRound.objects.create(slug="race", jurisdiction=jurisdiction,
                                                  title_fr="R", amount=100, phase="voting")  # fmt: skip
        choice = Proposal.objects.create(round=budget_round, title="T", estimated_cost=10,
                                         status="accepted")  # fmt: skip
        voter = get_user_model().objects.create_user("racer")
        ids.update(round=budget_round.pk, choice=choice.pk, voter=voter.pk, j=jurisdiction.pk)

    run_alone(setup)
    outcomes, barrier = [], threading.Barrier(8)

    def voter():
        try:
            actor = actor_for(get_user_model().objects.get(pk=ids["voter"]))
            barrier.wait()
            ballot_cast(actor=actor, round_id=ids["round"], proposal_ids=[ids["choice"]])
            outcomes.append("ok")
        except AlreadyVoted:
            outcomes.append("refused")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=voter) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    try:
        assert sorted(outcomes) == ["ok"] + ["refused"] * 7
        assert run_alone(lambda: Ballot.objects.filter(round_id=ids["round"]).count()) == 1
    finally:
        run_alone(cleanup_leftovers)


def cleanup_leftovers():
    BudgetRound.objects.filter(slug="race").delete()
    get_user_model().objects.filter(username="racer").delete()
    Jurisdiction.objects.filter(slug="race").delete()


def run_alone(function):
    """`function` in a thread, hence on a connection of its own that commits."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")


def test_sample_rounds_are_marked_and_loaded_once(towns):
    import io

    from participation import demo

    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    rounds = BudgetRound.objects.filter(sample=True)
    assert rounds.count() == 2
    assert all(r.title_fr.startswith("[Exemple]") for r in rounds)
    voting = rounds.get(phase="voting")
    assert voting.proposals.filter(status="accepted").count() == 4
