"""RapidPro / TextIt: a flow's "Call webhook" action posts its default JSON body
(contact {uuid, name, urn}, flow, path, results, run, input {uuid, type, text, urn,
channel, attachments}, channel) to our URL, with a header we set in the action,
`X-Komin-Secret`, since RapidPro does not sign webhooks. (The flow editor's default body
is `{"flow", "path", "results", "input": @(json(run.input)), "channel", "contact":
@(json(contact))}`, nyaruka/floweditor; the sender is `input.urn`, else the contact's
`urn` or first of its `urns`.) Outbound: POST
/api/v2/broadcasts.json {"urns": [...], "text": ...} with `Authorization: Token …`."""

import hmac

import requests

from messaging.gateways import TIMEOUT, Forged, Inbound, Malformed, SendFailed, short
from messaging.text import MAX_CHARS


def verify(request, gateway) -> None:
    given = request.headers.get("X-Komin-Secret", "")
    if not (gateway.inbound_secret and hmac.compare_digest(given, gateway.inbound_secret)):
        raise Forged("X-Komin-Secret does not match this gateway's inbound secret.")


def _phone(urn: str) -> tuple[str, str]:
    scheme, _, path = urn.partition(":")
    if scheme == "whatsapp":
        return ("+" + path.lstrip("+"), "whatsapp")
    if scheme == "tel":
        return (path, "sms")
    raise Malformed(f"contact.urn: {short(urn, 40)!r} is not a tel: or whatsapp: URN.")


def parse(data) -> Inbound:
    if not isinstance(data, dict):
        raise Malformed("The body must be RapidPro's webhook JSON object.")
    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    given = data.get("input") if isinstance(data.get("input"), dict) else {}
    urns = contact.get("urns") if isinstance(contact.get("urns"), list) else []
    urn = given.get("urn") or contact.get("urn") or (urns[0] if urns else "")
    if not isinstance(urn, str) or not urn:
        raise Malformed("contact.urn: every RapidPro webhook names its contact's URN.")
    phone, channel = _phone(urn)
    text = given.get("text") if isinstance(given.get("text"), str) else ""
    return Inbound(
        provider_id=short(given.get("uuid")),
        phone=short(phone, 60),
        channel=channel,
        text=text[: MAX_CHARS * 2],
    )


def urn(phone: str, channel: str) -> str:
    return f"whatsapp:{phone.lstrip('+')}" if channel == "whatsapp" else f"tel:{phone}"


def send(gateway, *, phone: str, channel: str, text: str) -> str:
    base = gateway.api_base.rstrip("/")
    try:
        response = requests.post(
            f"{base}/api/v2/broadcasts.json",
            json={"urns": [urn(phone, channel)], "text": text},
            headers={"Authorization": f"Token {gateway.auth_token}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise SendFailed(f"RapidPro unreachable: {type(exc).__name__}") from None
    if response.status_code >= 300:
        raise SendFailed(
            f"RapidPro answered {response.status_code}: {response.text[:200]}",
            status=response.status_code,
            permanent=400 <= response.status_code < 500 and response.status_code != 429,
        )
    return short((response.json() or {}).get("id"))
