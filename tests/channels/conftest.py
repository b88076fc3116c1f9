"""SMS intake over the real Haiti boundaries, GeoNames places and the schools layer
(loaded once per session), the demo catalogue (its Kreyòl and French keywords), and a
real local HTTP server standing for the gateways' APIs."""

import io
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from channels.gateways.twilio import signature
from channels.models import Gateway
from communes.models import Jurisdiction
from frontend.demo import load as load_places
from jobs.models import OutboxMessage
from jobs.outbox import deliver_message
from reports.demo import load_catalogue
from tests.channels.receiver import Receiver

PHONE = "+50937001122"


@pytest.fixture(scope="session")
def gazetteer_data(haiti, django_db_blocker):
    with django_db_blocker.unblock():
        load_places(stdout=io.StringIO())


@pytest.fixture
def provider():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def sms(db, gazetteer_data, provider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOMIN_PUBLIC_URL = "https://komin.example"
    categories = {c.code: c for c in load_catalogue()}
    delmas = Jurisdiction.objects.create(
        slug="delmas", name_fr="Delmas", pcodes=["HT0112"], open311_id="delmas.komin.ht"
    )
    pap = Jurisdiction.objects.create(
        slug="port-au-prince", name_fr="PAP", pcodes=["HT0111"], open311_id="pap.komin.ht"
    )
    twilio = Gateway.objects.create(
        kind="twilio", jurisdiction=pap, number="+15005550006", account="AC0123",
        auth_token="twilio-token", api_base=provider.url, key="tw-pap",
    )  # fmt: skip
    rapidpro = Gateway.objects.create(
        kind="rapidpro", jurisdiction=delmas, number="+50928000000", auth_token="rp-api-token",
        inbound_secret="rp-secret", api_base=provider.url, key="rp-delmas",
    )  # fmt: skip
    return SimpleNamespace(twilio=twilio, rapidpro=rapidpro, categories=categories,
                           delmas=delmas, pap=pap)  # fmt: skip


def twilio_params(body: str, *, sid: str, sender: str = PHONE, whatsapp: bool = False) -> dict:
    prefix = "whatsapp:" if whatsapp else ""
    return {
        "ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0",
        "ToCity": "", "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received",
        "FromCity": "", "Body": body, "FromCountry": "HT", "To": prefix + "+15005550006",
        "ToZip": "", "NumSegments": "1", "MessageSid": sid, "AccountSid": "AC0123",
        "From": prefix + sender, "ApiVersion": "2010-04-01",
    }  # fmt: skip


@pytest.fixture
def twilio_post(client):
    """Posts a message as Twilio does: form-encoded, signed over URL + sorted params."""
    counter = iter(range(10_000))

    def post(body: str, *, token: str = "twilio-token", key: str = "tw-pap", **kwargs):
        params = twilio_params(body, sid=f"SM{next(counter):032d}", **kwargs)
        url = f"http://testserver/api/v1/channels/twilio/{key}/"
        sig = signature(url, sorted(params.items()), token)
        return client.post(
            url, urlencode(params), content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": sig},
        )  # fmt: skip

    return post


def rapidpro_body(text: str, *, uuid: str, urn: str = f"tel:{PHONE}") -> dict:
    """RapidPro's default "Call webhook" body (goflow's legacy-free default payload)."""
    return {
        "contact": {"uuid": "c9c3a1f4-5f1b-4f0e-9a51-2b8a0c1e0001", "name": "", "urn": urn},
        "flow": {"uuid": "f5901b62-ba76-4003-9c62-72fdacc1b7b7", "name": "Komin"},
        "path": [{"uuid": "0e1f", "node_uuid": "8d2c", "arrived_on": "2026-03-02T10:00:00Z"}],
        "results": {},
        "run": {"uuid": "4a0b8c5e-1f7d-4b7e-9e55-0d4f2a3b0002", "created_on": "2026-03-02T10:00:00Z"},
        "input": {
            "uuid": uuid, "type": "msg", "text": text, "attachments": [], "urn": urn,
            "channel": {"uuid": "2b1f0d6e-7c1a-4b4f-8d2e-3a5c9e6f0003", "name": "Delmas SMS"},
        },
        "channel": {"uuid": "2b1f0d6e-7c1a-4b4f-8d2e-3a5c9e6f0003", "name": "Delmas SMS"},
    }  # fmt: skip


def deliver_all() -> int:
    """What the worker does after commit: deliver every pending outbox message."""
    sent = 0
    for pk in OutboxMessage.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        sent += deliver_message(message_id=pk)
    return sent
