"""One ballot per verified phone number: codes sent through the messaging outbox to a
real local HTTP server standing for Twilio, kept hashed, expiring, with limited guesses
and limited sends; the number normalised and held by one account at a time; the ballot
refused twice for a number (also under concurrent votes); the number never public."""

import threading
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from communes.access import actor_for
from communes.models import Jurisdiction
from messaging.models import Gateway, OutboundMessage
from participation.models import Ballot, BudgetRound, PhoneCode, Proposal, VerifiedPhone
from participation.phones import normalise
from participation.services import AlreadyVoted, PhoneRequired, ballot_cast
from participation.verification import _hash, code_confirm
from reports.errors import Invalid
from tests.messaging.conftest import deliver_all
from tests.participation.test_budget_rounds import run_alone

pytestmark = pytest.mark.django_db
NUMBER = "+50937001122"
CODE_URL = "/api/v1/participation/phone/code/"
VERIFY_URL = "/api/v1/participation/phone/verify/"


@pytest.fixture(autouse=True)
def _english(api):
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the messages below are the English ones


@pytest.fixture
def phone_round(towns, provider):
    Gateway.objects.create(kind="twilio", jurisdiction=towns.j["delmas"], number="+15005550006",
                           account="AC0123", auth_token="t", api_base=provider.url, key="tw-d")  # fmt: skip
    budget_round = BudgetRound.objects.create(slug="pb-phone", jurisdiction=towns.j["delmas"],
                                              title_fr="PB", amount=Decimal("1000.00"),
                                              phase="voting", verification="phone")  # fmt: skip
    proposal = Proposal.objects.create(round=budget_round, title="Lampadaire", status="accepted",
                                       estimated_cost=Decimal("300.00"))  # fmt: skip
    return budget_round, proposal


def ask_code(api, user, phone=NUMBER, round_slug="pb-phone"):
    api.force_authenticate(user)
    return api.post(CODE_URL, {"round": round_slug, "phone": phone}, format="json")


def code_received(provider) -> str:
    """Delivers the outbox to the fake Twilio and reads the code in the last SMS."""
    deliver_all()
    body = parse_qs(provider.requests[-1].body.decode())["Body"][0]
    return next(word for word in body.replace(".", " ").split() if word.isdigit())


def verify(api, code, phone=NUMBER):
    return api.post(VERIFY_URL, {"phone": phone, "code": code}, format="json")


@pytest.mark.parametrize(
    "raw", ["3700-1122", "(509) 3700 1122", "00509 37001122", "+509 37 00 11 22", "50937001122"]
)
def test_numbers_are_normalised_to_one_e164_form(raw):
    assert normalise(raw) == NUMBER


@pytest.mark.parametrize("raw", ["", "3700112", "+509 3700 11223", "37OO1122", "+0123456789",
                                 "３７００１１２２"])  # fmt: skip
def test_malformed_numbers_are_refused_naming_the_field(raw):
    with pytest.raises(Invalid) as refused:
        normalise(raw)
    assert refused.value.field == "phone"


def test_a_code_by_sms_proves_the_number_and_is_kept_only_hashed(api, towns, phone_round, provider):
    sent = ask_code(api, towns.people.citizen, phone="3700 1122")
    assert sent.status_code == 202 and sent.json()["ending"] == "22"
    assert NUMBER not in sent.content.decode()
    code = code_received(provider)
    assert len(code) == 6 and parse_qs(provider.requests[-1].body.decode())["To"] == [NUMBER]
    stored = PhoneCode.objects.get(user=towns.people.citizen)
    assert stored.code_hash == _hash(NUMBER, code) and code not in stored.code_hash
    outbound = OutboundMessage.objects.get(phone=NUMBER)
    assert outbound.state == "sent" and code not in outbound.text  # blanked once sent
    wrong = verify(api, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 400 and "4 attempts left" in wrong.json()["detail"]
    done = verify(api, code)
    assert done.status_code == 200 and done.json() == {"verified": True, "ending": "22"}
    assert verify(api, code).status_code == 400  # used once
    assert api.get("/api/v1/participation/phone/").json() == {"verified": True, "ending": "22"}


def test_an_expired_code_is_refused(api, towns, phone_round, provider):
    ask_code(api, towns.people.citizen)
    code = code_received(provider)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = verify(api, code)
    assert expired.status_code == 400 and "expired" in expired.json()["detail"]
    assert not VerifiedPhone.objects.exists()


def test_five_wrong_codes_kill_the_code_even_for_the_right_one(api, towns, phone_round, provider):
    ask_code(api, towns.people.citizen)
    code = code_received(provider)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    answers = [verify(api, wrong) for _ in range(5)]
    assert [a.status_code for a in answers] == [400] * 5
    assert "no attempts left" in answers[-1].json()["detail"]
    after = verify(api, code)
    assert after.status_code == 429 and "Too many wrong codes" in after.json()["detail"]
    assert verify(api, "12345").status_code == 400  # six digits, named


def test_sends_are_limited_per_number_and_per_account(api, towns, phone_round, settings):
    settings.KOMIN_RATE_PHONE_CODE_NUMBER = "3/hour"
    settings.KOMIN_RATE_PHONE_CODE_ACCOUNT = "5/hour"
    assert [ask_code(api, towns.people.citizen).status_code for _ in range(3)] == [202] * 3
    fourth = ask_code(api, towns.people.delmas_crew)  # another account, the same number
    assert fourth.status_code == 429 and "to this number" in fourth.json()["detail"]
    others = [ask_code(api, towns.people.citizen, phone=f"3700 00{i:02d}") for i in range(3)]
    assert [o.status_code for o in others] == [202, 202, 429]
    assert "Your account" in others[-1].json()["detail"]
    assert OutboundMessage.objects.count() == 5


def test_no_gateway_no_code_and_anonymous_refused(api, towns):
    BudgetRound.objects.create(slug="pb-nosms", jurisdiction=towns.j["cap"], title_fr="PB",
                               amount=Decimal("10.00"), verification="phone")  # fmt: skip
    assert ask_code(api, None, round_slug="pb-nosms").status_code in (401, 403)
    none = ask_code(api, towns.people.citizen, round_slug="pb-nosms")
    assert none.status_code == 409 and none.json()["error"] == "no_sms_gateway"
    assert ask_code(api, towns.people.citizen, round_slug="nope").status_code == 400


def test_a_phone_round_needs_a_verified_number_and_counts_it_once(
    api, towns, phone_round, provider
):
    budget_round, proposal = phone_round
    ballot = f"/api/v1/participation/rounds/{budget_round.slug}/ballot/"
    api.force_authenticate(towns.people.citizen)
    first = api.post(ballot, {"proposals": [proposal.pk]}, format="json")
    assert first.status_code == 403 and "verify" in first.json()["detail"]
    ask_code(api, towns.people.citizen)
    verify(api, code_received(provider))
    assert api.post(ballot, {"proposals": [proposal.pk]}, format="json").status_code == 201
    # The number moves to another account (a verified number belongs to one at a time)…
    ask_code(api, towns.people.delmas_crew)
    assert verify(api, code_received(provider)).status_code == 200
    assert VerifiedPhone.objects.get(phone=NUMBER).user == towns.people.delmas_crew
    # …but cannot vote a second time in this round.
    again = api.post(ballot, {"proposals": [proposal.pk]}, format="json")
    assert again.status_code == 409 and "phone number" in again.json()["detail"]
    assert Ballot.objects.get(round=budget_round).phone == NUMBER


def test_the_number_is_in_no_public_answer(api, towns, phone_round, provider):
    budget_round, proposal = phone_round
    ask_code(api, towns.people.citizen)
    verify(api, code_received(provider))
    api.post(f"/api/v1/participation/rounds/{budget_round.slug}/ballot/",
             {"proposals": [proposal.pk]}, format="json")  # fmt: skip
    api.post(f"/api/v1/participation/proposals/{proposal.pk}/comments/",
             {"body": "Bonne idée", "display_name": "Marie"}, format="json")  # fmt: skip
    BudgetRound.objects.filter(pk=budget_round.pk).update(phase="results")
    api.force_authenticate(None)
    answers = [api.get(url) for url in (
        "/api/v1/participation/rounds/", f"/api/v1/participation/rounds/{budget_round.slug}/",
        f"/api/v1/participation/rounds/{budget_round.slug}/results/",
        f"/api/v1/participation/proposals/{proposal.pk}/comments/", f"/budget/{budget_round.slug}/",
        "/api/v1/projects/", "/api/v1/projects/geojson/", "/api/v1/projects/export/?format=csv",
    )]  # fmt: skip
    assert [a.status_code for a in answers] == [200] * len(answers)
    for answer in answers:
        text = b"".join(answer.streaming_content) if answer.streaming else answer.content
        assert b"37001122" not in text and b"3700 1122" not in text
    api.force_authenticate(towns.people.citizen)  # the owner sees two digits, not the number
    assert b"3700" not in api.get("/api/v1/participation/phone/").content


def test_one_ballot_per_number_under_concurrent_votes_and_a_move():
    """Account A holds the number and votes from four connections at once while account B
    takes the number with a valid code and votes: whatever the order, the database keeps
    exactly one ballot for the number (and one per account)."""
    ids, code = {}, "424242"

    def setup():
        cleanup()
        jurisdiction = Jurisdiction.objects.create(slug="race-phone", name_fr="R", pcodes=[],
                                                   open311_id="race-phone.komin.ht")  # fmt: skip
        budget_round = BudgetRound.objects.create(slug="race-phone", jurisdiction=jurisdiction,
                                                  title_fr="R", amount=100, phase="voting",
                                                  verification="phone")  # fmt: skip
        choice = Proposal.objects.create(round=budget_round, title="T", estimated_cost=10,
                                         status="accepted")  # fmt: skip
        users = get_user_model().objects
        a, b = users.create_user("race-phone-a"), users.create_user("race-phone-b")
        VerifiedPhone.objects.create(user=a, phone=NUMBER, verified_at=timezone.now())
        PhoneCode.objects.create(user=b, phone=NUMBER, code_hash=_hash(NUMBER, code),
                                 expires_at=timezone.now() + timedelta(minutes=5))  # fmt: skip
        ids.update(round=budget_round.pk, choice=choice.pk, a=a.pk, b=b.pk)

    run_alone(setup)
    outcomes, barrier = [], threading.Barrier(5)

    def vote(user_id, take_number=False):
        try:
            actor = actor_for(get_user_model().objects.get(pk=user_id))
            barrier.wait()
            if take_number:
                code_confirm(actor=actor, phone=NUMBER, code=code)
            ballot_cast(actor=actor, round_id=ids["round"], proposal_ids=[ids["choice"]])
            outcomes.append("ok")
        except (AlreadyVoted, PhoneRequired):
            outcomes.append("refused")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=vote, args=(ids["a"],)) for _ in range(4)]
    workers.append(threading.Thread(target=vote, args=(ids["b"], True)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    try:
        assert sorted(outcomes) == ["ok"] + ["refused"] * 4
        ballots = run_alone(lambda: list(Ballot.objects.filter(round_id=ids["round"])
                                         .values_list("phone", flat=True)))  # fmt: skip
        assert ballots == [NUMBER]
    finally:
        run_alone(cleanup)


def cleanup():
    BudgetRound.objects.filter(slug="race-phone").delete()
    get_user_model().objects.filter(username__startswith="race-phone-").delete()
    Jurisdiction.objects.filter(slug="race-phone").delete()
