"""Real-format gateway payloads through the whole conversation to a stored report, and
the replies sent through the providers' APIs (a real local HTTP server)."""

import base64
import json
from urllib.parse import parse_qs

import pytest

from channels.gateways.twilio import signature
from channels.models import (
    ApproximatePlace,
    BlockedNumber,
    Follower,
    InboundMessage,
    OptOut,
    OutboundMessage,
)
from communes.access import actor_for
from reports.models import Report
from reports.services.workflow import report_transition
from tests.channels.conftest import PHONE, deliver_all, rapidpro_body
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def sent_texts(provider) -> list[str]:
    texts = []
    for request in provider.requests:
        if request.path.endswith("/Messages.json"):
            texts += parse_qs(request.body.decode())["Body"]
        else:
            texts.append(json.loads(request.body)["text"])
    return texts


def test_twilio_signature_matches_twilios_documented_example():
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675310", "Digits": "1234",
              "From": "+14158675310", "To": "+18005551212"}  # fmt: skip
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature(url, list(params.items()), "12345") == "GvWf1cFY/Q7PnoempGyD5oXAezc="


def test_kreyol_message_with_accents_files_a_report_in_two_turns(sms, twilio_post, provider):
    answer = twilio_post("Gen yon gwo twou nan wout la devan Lycée National De Carrefour-Feuilles")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/xml") and b"<Response>" in answer.content
    deliver_all()
    [confirm] = sent_texts(provider)
    assert confirm.startswith("Twou nan wout, Lycée National De Carrefour-Feuilles (± 150 m).")
    assert "1 pou voye" in confirm  # Kreyòl in, Kreyòl out
    twilio_post("2")  # send, and follow by SMS
    deliver_all()
    report = Report.objects.get()
    assert report.category.code == "pothole" and report.source == "sms"
    assert report.reporter_phone == PHONE and report.language == "ht"
    assert report.commune.pcode == "HT0111"
    assert report.description.startswith("Gen yon gwo twou")
    place = ApproximatePlace.objects.get(report=report)
    assert (place.kind, place.uncertainty_m, place.pinned_at) == ("feature", 150, None)
    filed = sent_texts(provider)[1]
    assert f"Siyalman {report.reference} resevwa" in filed
    assert f"https://komin.example/r/{report.reference}/" in filed
    assert Follower.objects.filter(report=report, phone=PHONE).exists()
    # The real Twilio request: form-encoded, basic auth with the account SID and token.
    request = provider.requests[1]
    assert request.path == "/2010-04-01/Accounts/AC0123/Messages.json"
    auth = base64.b64decode(request.headers["Authorization"].split()[1]).decode()
    assert auth == "AC0123:twilio-token"
    assert parse_qs(request.body.decode())["To"] == [PHONE]
    assert parse_qs(request.body.decode())["From"] == ["+15005550006"]


def test_french_without_accents_and_a_misspelling_asks_the_place_then_files(
    sms, twilio_post, provider
):
    twilio_post("il y a des ordure partout dans la rue depuis une semaine")
    twilio_post("Turgeau")
    twilio_post("oui")
    deliver_all()
    texts = sent_texts(provider)
    assert texts[0].startswith("Où ?")  # French in, French out; "ordure" is rubbish
    assert texts[1].startswith("Fatra ki pa ranmase") is False
    assert "Turgeau" in texts[1] and "1 pour envoyer" in texts[1]
    report = Report.objects.get()
    assert (report.category.code, report.section.pcode, report.language) == (
        "rubbish", "HT0111-01", "fr")  # fmt: skip
    assert texts[2].startswith(f"Merci ! Signalement {report.reference} reçu.")
    assert ApproximatePlace.objects.get(report=report).uncertainty_m > 500


def test_unsure_category_gets_a_numbered_menu_answered_in_words_english_and_cancel(
    sms, twilio_post, provider
):
    twilio_post("bonjou")  # neither category nor place
    twilio_post("de")  # "2" in words (Kreyòl / French)
    twilio_post("Turgeau")
    twilio_post("Gwo twou, machin pa ka pase")
    twilio_post("1")
    deliver_all()
    texts = sent_texts(provider)
    assert texts[0].startswith("Ki pwoblèm nan? Reponn ak yon nimewo: 1 Kanal bouche, 2 Twou")
    assert texts[2] == "Dekri pwoblèm nan an kèk mo."
    report = Report.objects.get()
    assert report.category.code == "pothole"
    assert report.description == "Gwo twou, machin pa ka pase"
    twilio_post("english")  # English on request; 0 cancels
    twilio_post("0")
    deliver_all()
    texts = sent_texts(provider)
    assert texts[-2].startswith("What is the problem? Reply with a number: 1 Blocked")
    assert texts[-1] == "Cancelled. Write to us any time."


def test_empty_emoji_and_long_messages_are_answered_without_error(sms, twilio_post, provider):
    assert twilio_post("").status_code == 200
    assert twilio_post("💧💧🚰 ???").status_code == 200
    long = ("pa gen dlo nan ponp lan depi 3 jou " * 60)[:2000]
    assert twilio_post(long).status_code == 200
    deliver_all()
    texts = sent_texts(provider)
    assert texts[0].startswith("Ki pwoblèm nan?") and texts[1].startswith("Ki pwoblèm nan?")
    assert texts[2].startswith("Ki kote?")  # water found; no place named
    stored = InboundMessage.objects.order_by("pk").last().text
    assert len(stored) == 1600  # capped as Twilio caps a message
    assert Report.objects.count() == 0


def test_several_places_are_offered_as_a_menu_on_whatsapp(sms, twilio_post, provider):
    twilio_post("gen fatra anpil devan Ecole Mixte Emedh ak Ecole Memorial", whatsapp=True)
    deliver_all()
    [question] = sent_texts(provider)
    assert question.startswith("Ki kote egzakteman? 1 Ecole")
    assert "Emedh" in question and "Memorial" in question
    sent = parse_qs(provider.requests[0].body.decode())  # WhatsApp: same API, prefixed
    assert (sent["From"], sent["To"]) == (["whatsapp:+15005550006"], [f"whatsapp:{PHONE}"])


def test_forged_signature_is_403_and_unknown_gateway_404(sms, twilio_post, provider):
    forged = twilio_post("twou nan wout la Turgeau", token="not-the-token")
    assert forged.status_code == 403 and forged.json()["error"] == "permission_denied"
    assert "X-Twilio-Signature" in forged.json()["detail"]
    assert twilio_post("twou", key="nobody").status_code == 404
    assert InboundMessage.objects.count() == 0 and not provider.requests


def test_rapidpro_flow_webhook_to_report_and_broadcast(sms, client, provider):
    url = "/api/v1/channels/rapidpro/rp-delmas/"
    body = rapidpro_body("pa gen dlo nan tiyo a Delmas depi 3 jou", uuid="m-1")
    forged = client.post(url, body, content_type="application/json",
                         headers={"X-Komin-Secret": "guess"})  # fmt: skip
    assert forged.status_code == 403
    ok = client.post(url, body, content_type="application/json",
                     headers={"X-Komin-Secret": "rp-secret"})  # fmt: skip
    assert ok.status_code == 200 and ok.json() == {"received": True}
    again = client.post(url, body, content_type="application/json",
                        headers={"X-Komin-Secret": "rp-secret"})  # fmt: skip
    assert again.status_code == 200  # a retried webhook is not a second message
    client.post(url, rapidpro_body("1", uuid="m-2"), content_type="application/json",
                headers={"X-Komin-Secret": "rp-secret"})  # fmt: skip
    deliver_all()
    report = Report.objects.get()
    assert report.category.code == "water-point-broken" and report.commune.pcode == "HT0112"
    request = provider.requests[0]
    assert request.path == "/api/v2/broadcasts.json"
    assert request.headers["Authorization"] == "Token rp-api-token"
    assert json.loads(request.body)["urns"] == [f"tel:{PHONE}"]
    assert len(provider.requests) == 2


def test_status_changes_are_sent_to_followers_until_stop(sms, twilio_post, provider):
    twilio_post("twou nan wout Turgeau, machin pa ka pase")
    twilio_post("2")
    report = Report.objects.get()
    supervisor = f.user("sup", superuser=True)
    report_transition(report_id=report.pk, actor=actor_for(supervisor), status="acknowledged",
                      version=report.version)  # fmt: skip
    deliver_all()
    assert sent_texts(provider)[-1].startswith(f"Siyalman {report.reference} (Twou nan wout):")
    before = len(provider.requests)
    assert twilio_post("ARRÊT").status_code == 200
    assert OptOut.objects.get(phone=PHONE).keyword == "arret"
    assert not Follower.objects.exists()
    report.refresh_from_db()
    report_transition(report_id=report.pk, actor=actor_for(supervisor), status="in_progress",
                      version=report.version)  # fmt: skip
    twilio_post("twou nan wout")  # ignored while opted out
    deliver_all()
    assert len(provider.requests) == before  # nothing more, not even a goodbye


def test_stop_also_skips_messages_already_queued(sms, twilio_post, provider):
    twilio_post("twou")
    twilio_post("anile")
    deliver_all()
    assert not provider.requests
    assert OutboundMessage.objects.get().state == "skipped"


def test_blocked_numbers_are_ignored_and_daily_cap_holds(sms, twilio_post, provider):
    BlockedNumber.objects.create(phone="+50930000000", reason="abuse")
    twilio_post("twou nan wout", sender="+50930000000")
    sms.twilio.daily_cap = 1
    sms.twilio.save()
    twilio_post("bonjou", sender="+50931111111")
    twilio_post("bonjou", sender="+50932222222")
    deliver_all()
    assert len(provider.requests) == 1
    states = sorted(OutboundMessage.objects.values_list("state", flat=True))
    assert states == ["sent", "skipped"]


def test_rate_limit_per_number_answers_429(sms, twilio_post, settings):
    settings.KOMIN_RATE_SMS_NUMBER = "2/hour"
    assert twilio_post("bonjou").status_code == 200
    assert twilio_post("bonjou").status_code == 200
    refused = twilio_post("bonjou")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert twilio_post("bonjou", sender="+50933333333").status_code == 200


def test_provider_outage_is_retried_by_the_outbox(sms, twilio_post, provider):
    provider.status = 503
    twilio_post("bonjou")
    deliver_all_failing = pytest.raises(Exception)
    with deliver_all_failing:
        deliver_all()
    assert OutboundMessage.objects.get().state == "pending"
    provider.status = 201
    deliver_all()
    assert OutboundMessage.objects.get().state == "sent"


def test_the_phone_number_never_leaves_the_staff_side(sms, twilio_post, client):
    twilio_post("twou nan wout la Turgeau, machin pa ka pase")
    twilio_post("1")
    report = Report.objects.get()
    digits = PHONE.lstrip("+")
    for url in (
        f"/api/v1/reports/{report.reference}/",
        "/api/v1/reports/",
        "/api/v1/reports/geojson/",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{report.reference}.json",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert digits not in answer.content.decode(), url
    assert report.reference in client.get("/api/v1/reports/geojson/").content.decode()


def test_a_crew_pins_an_sms_report_placed_from_a_name(sms, twilio_post, client):
    twilio_post("twou nan wout la Turgeau, machin pa ka pase")
    twilio_post("1")
    report = Report.objects.get()
    client.force_login(f.user("root", superuser=True))
    url = f"/api/v1/channels/reports/{report.reference}/pin/"
    away = client.post(url, {"lon": f.CAP[0], "lat": f.CAP[1]}, content_type="application/json")
    assert away.status_code == 400 and "transfer" in away.json()["detail"]
    pinned = client.post(url, {"lon": f.PAP[0], "lat": f.PAP[1]}, content_type="application/json")
    assert pinned.status_code == 200
    assert pinned.json()["approximate_place"]["name"] == "1re Section Turgeau"
    report.refresh_from_db()
    assert (report.location.x, report.location.y) == f.PAP and report.version == 2
    assert ApproximatePlace.objects.get(report=report).pinned_at is not None
    assert "pinned on the map" in report.updates.last().internal_note
