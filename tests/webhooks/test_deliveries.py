"""Outgoing webhooks against a real local HTTP receiver that checks every signature with
the independent `standardwebhooks` package."""

import json

import pytest
from django.core import mail
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from communes.access import actor_for
from communes.models import Jurisdiction
from jobs.models import OutboxMessage
from jobs.outbox import DeliveryFailed, deliver_message
from reports.services.reports import Contact, report_create
from reports.services.workflow import report_transition
from tests.messaging.receiver import Receiver
from tests.reports import factories as f
from webhooks.events import emit
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def setup(haiti, db, receiver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cat = f.catalogue()
    pap = Jurisdiction.objects.create(slug="pap", name_fr="PAP", pcodes=["HT0111"],
                                      open311_id="pap.komin.ht")  # fmt: skip
    owner = f.user("owner", "administrator", jurisdiction=pap)
    public = Endpoint.objects.create(jurisdiction=pap, url=receiver.url + "/public",
                                     events=["report.created", "report.status_changed"],
                                     owner=owner)  # fmt: skip
    internal = Endpoint.objects.create(jurisdiction=pap, url=receiver.url + "/internal",
                                       internal=True, owner=owner)  # fmt: skip
    secrets = {"/public": public.secret, "/internal": internal.secret}

    def check(request):
        wanted = {k.lower(): v for k, v in request.headers.items()}
        try:
            Webhook(secrets[request.path]).verify(request.body, wanted)
        except WebhookVerificationError:
            return 401
        return receiver.status

    receiver.check = check
    receiver.status = 204
    return cat, public, internal, owner


def deliver_all():
    for pk in OutboxMessage.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        try:
            deliver_message(message_id=pk)
        except DeliveryFailed:
            pass


def _file(cat):
    return report_create(category=cat["pothole"], lon=f.PAP[0], lat=f.PAP[1],
                         description="Twou", answers={"size": "large"},
                         contact=Contact(**f.CONTACT)).report  # fmt: skip


def test_deliveries_are_signed_verified_and_private_fields_only_internal(setup, receiver):
    cat, public, internal, _ = setup
    report = _file(cat)
    report_transition(report_id=report.pk, actor=actor_for(f.user("root", superuser=True)),
                      status="acknowledged", version=1)  # fmt: skip
    deliver_all()
    assert len(receiver.requests) == 4  # created and status changed, to both endpoints
    assert all(d.response_codes == [204] for d in Delivery.objects.all())
    bodies = {(r.path, json.loads(r.body)["type"]): json.loads(r.body) for r in receiver.requests}
    created = bodies[("/public", "report.created")]
    assert created["data"]["reference"] == report.reference
    assert "contact" not in created["data"]
    assert f.CONTACT["phone"] not in json.dumps(bodies[("/public", "report.status_changed")])
    changed = bodies[("/internal", "report.status_changed")]
    assert changed["data"]["change"]["to_status"] == "acknowledged"
    assert changed["data"]["contact"]["phone"] == f.CONTACT["phone"]
    assert receiver.requests[0].headers["webhook-signature"].startswith("v1,")


def test_a_failing_endpoint_is_retried_then_disabled_and_its_owner_told(setup, receiver, settings):
    cat, public, internal, owner = setup
    settings.KOMIN_WEBHOOK_MAX_FAILURES = 3
    settings.KOMIN_JOBS_RETRY_BASE_SECONDS = 0
    internal.delete()
    receiver.status = 500
    _file(cat)
    for _ in range(4):
        deliver_all()
    public.refresh_from_db()
    delivery = Delivery.objects.get()
    assert delivery.response_codes == [500, 500, 500] and delivery.delivered_at is None
    assert not public.active and "3 failed deliveries" in public.disabled_reason
    assert len(receiver.requests) == 3  # nothing more once disabled
    [told] = mail.outbox
    assert told.to == [owner.email] and public.url in told.body


def test_layer_feature_changes_reach_endpoints_that_asked(setup, receiver):
    from django.contrib.gis.geos import Point

    from layers.models import Layer
    from layers.services.features import feature_create

    _, public, internal, _ = setup
    layer = Layer.objects.create(slug="drains-pap", title="Drains", jurisdiction=internal.jurisdiction,
                                 schema=[{"name": "name", "type": "string"}])  # fmt: skip
    feature_create(layer=layer, geom=Point(*f.PAP, srid=4326), attributes={"name": "A"})
    deliver_all()
    [request] = receiver.requests  # the public endpoint did not ask for layer events
    body = json.loads(request.body)
    assert request.path == "/internal" and body["type"] == "layer.features_changed"
    assert body["data"] == {"layer": "drains-pap", "version": 2}


def test_a_wrong_signature_is_refused_by_the_independent_verifier(setup, receiver):
    cat, public, internal, _ = setup
    public.secret = internal.secret  # signed with another endpoint's secret
    public.save()
    internal.delete()
    _file(cat)
    deliver_all()
    assert Delivery.objects.get(endpoint=public).response_codes == [401]


def test_an_event_goes_to_the_active_endpoints_of_its_jurisdiction_that_asked(setup):
    cat, public, internal, owner = setup
    delmas = Jurisdiction.objects.create(slug="delmas", name_fr="Delmas", pcodes=["HT0112"],
                                         open311_id="delmas.komin.ht")  # fmt: skip
    Endpoint.objects.create(jurisdiction=delmas, url="https://delmas.example.org/hook")
    Endpoint.objects.create(jurisdiction=public.jurisdiction, active=False,
                            url="https://off.example.org/hook")  # fmt: skip
    assert emit(event="report.created", jurisdiction_id=public.jurisdiction_id, source={}) == 2
    assert emit(event="report.merged", jurisdiction_id=public.jurisdiction_id, source={}) == 1
    assert emit(event="report.created", jurisdiction_id=None, source={}) == 0
    mine = Delivery.objects.filter(endpoint__jurisdiction__in=[public.jurisdiction, delmas])
    sent = mine.order_by("id").values_list("endpoint_id", "event")
    assert list(sent) == [(public.pk, "report.created"), (internal.pk, "report.created"),
                          (internal.pk, "report.merged")]  # fmt: skip
