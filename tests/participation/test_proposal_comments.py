"""Comments on proposals: residents with an account comment within length and rate
limits; the public sees a chosen display name or "Resident", never the account; the
town hall's supervisors and administrators hide a comment with a reason (audited), and
only in their own commune."""

from decimal import Decimal

import pytest

from participation.models import BudgetRound, CommentModeration, Proposal, ProposalComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(towns):
    budget_round = BudgetRound.objects.create(slug="pb-com", jurisdiction=towns.j["delmas"],
                                              title_fr="PB", amount=Decimal("1000.00"))  # fmt: skip
    return Proposal.objects.create(round=budget_round, title="Lampadaire",
                                   estimated_cost=Decimal("100.00"))  # fmt: skip


def url(proposal):
    return f"/api/v1/participation/proposals/{proposal.pk}/comments/"


def test_residents_comment_under_a_chosen_name_or_resident(api, towns, proposal):
    api.force_authenticate(None)
    assert api.post(url(proposal), {"body": "Oui"}, format="json").status_code in (401, 403)
    api.force_authenticate(towns.people.citizen)
    named = api.post(url(proposal), {"body": "Très utile", "display_name": "Marie"},
                     format="json")  # fmt: skip
    assert named.status_code == 201 and named.json()["author"] == "Marie"
    api.force_authenticate(towns.people.delmas_crew)
    assert api.post(url(proposal), {"body": "D'accord"}, format="json").status_code == 201
    api.force_authenticate(None)
    shown = api.get(url(proposal)).json()
    assert [(c["author"], c["body"]) for c in shown["results"]] == [
        ("Marie", "Très utile"), ("Résident", "D'accord")]  # fmt: skip
    assert shown["count"] == 2 and shown["next"] is None
    text = api.get(url(proposal)).content.decode()
    assert "citizen" not in text and "delmas_crew" not in text and "@" not in text
    for lang, word in (("ht", "Rezidan"), ("en", "Resident")):
        shown = api.get(url(proposal), HTTP_ACCEPT_LANGUAGE=lang).json()["results"][1]
        assert shown["author"] == word


@pytest.mark.parametrize(
    "body, field", [("x", "body"), ("a" * 1001, "body"), ("   ", "body")]
)  # fmt: skip
def test_comment_lengths_are_limited(api, towns, proposal, body, field):
    api.force_authenticate(towns.people.citizen)
    refused = api.post(url(proposal), {"body": body}, format="json")
    assert refused.status_code == 400 and field in refused.json()["fields"]
    long_name = api.post(url(proposal), {"body": "ok ok", "display_name": "n" * 61}, format="json")
    assert long_name.status_code == 400 and "display_name" in long_name.json()["fields"]


def test_comments_are_rate_limited_per_account(api, towns, proposal, settings):
    settings.KOMIN_RATE_PROPOSAL_COMMENTS = "2/hour"
    api.force_authenticate(towns.people.citizen)
    codes = [api.post(url(proposal), {"body": f"avis {i}"}, format="json").status_code
             for i in range(3)]  # fmt: skip
    assert codes == [201, 201, 429]
    api.force_authenticate(towns.people.delmas_crew)
    assert api.post(url(proposal), {"body": "moi aussi"}, format="json").status_code == 201


def test_a_supervisor_of_the_commune_hides_a_comment_with_a_reason(api, towns, proposal):
    rude = ProposalComment.objects.create(proposal=proposal, author=towns.people.citizen,
                                          body="Injure")  # fmt: skip
    ProposalComment.objects.create(proposal=proposal, body="Bien")
    moderate = f"/api/v1/participation/comments/{rude.pk}/moderate/"
    for outsider in (towns.people.citizen, towns.people.pap_supervisor, towns.people.delmas_crew):
        api.force_authenticate(outsider)
        assert api.post(moderate, {"hidden": True, "reason": "x"}, format="json").status_code == 403
    api.force_authenticate(towns.people.delmas_supervisor)
    assert api.post(moderate, {"hidden": True, "reason": " "}, format="json").status_code == 400
    done = api.post(moderate, {"hidden": True, "reason": "Insulte"}, format="json")
    assert done.json() == {"id": rude.pk, "hidden": True, "reason": "Insulte"}
    api.force_authenticate(None)
    assert [c["body"] for c in api.get(url(proposal)).json()["results"]] == ["Bien"]
    api.force_authenticate(towns.people.delmas_admin)
    api.post(moderate, {"hidden": False, "reason": "Reformulé"}, format="json")
    trail = list(rude.moderations.values_list("hidden", "reason", "actor"))
    assert trail == [(True, "Insulte", towns.people.delmas_supervisor.pk),
                     (False, "Reformulé", towns.people.delmas_admin.pk)]  # fmt: skip
    assert CommentModeration.objects.count() == 2


def test_comments_of_a_hidden_proposal_are_gone_and_pages_are_bounded(api, towns, proposal):
    ProposalComment.objects.bulk_create(
        ProposalComment(proposal=proposal, body=f"c{i}") for i in range(5)
    )
    page = api.get(url(proposal) + "?limit=2&offset=2").json()
    assert [c["body"] for c in page["results"]] == ["c2", "c3"]
    assert "offset=4" in page["next"] and "offset=0" in page["previous"]
    assert api.get(url(proposal) + "?limit=201").status_code == 400
    assert api.get(url(proposal) + "?offset=-1").status_code == 400
    Proposal.objects.filter(pk=proposal.pk).update(hidden=True, hidden_reason="x")
    assert api.get(url(proposal)).status_code == 404
    api.force_authenticate(towns.people.citizen)
    assert api.post(url(proposal), {"body": "encore"}, format="json").status_code == 404
