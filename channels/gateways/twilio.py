"""Twilio Programmable Messaging (SMS and WhatsApp share one webhook format).

Inbound: a form POST (MessageSid, From, To, Body, ...) signed in `X-Twilio-Signature`:
base64(HMAC-SHA1(auth token, URL + each POST parameter's name and value, sorted by name)).
Outbound: POST /2010-04-01/Accounts/{AccountSid}/Messages.json (From, To, Body) with
HTTP basic auth AccountSid:AuthToken."""

import base64
import hashlib
import hmac

import requests

from channels.gateways import TIMEOUT, Forged, Inbound, Malformed, SendFailed, short
from channels.text import MAX_CHARS

DEFAULT_API = "https://api.twilio.com"


def signature(url: str, params: list[tuple[str, str]], token: str) -> str:
    payload = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _urls(request, gateway) -> list[str]:
    """The URL Twilio signed: the configured one, else the one we were called at (Twilio
    may or may not have counted a default port)."""
    if gateway.webhook_url:
        return [gateway.webhook_url]
    url = request.build_absolute_uri()
    return [url, url.replace(":443/", "/", 1).replace(":80/", "/", 1)]


def verify(request, gateway) -> None:
    given = request.headers.get("X-Twilio-Signature", "")
    params = [(k, v) for k in request.POST for v in request.POST.getlist(k)]
    for url in dict.fromkeys(_urls(request, gateway)):
        if given and hmac.compare_digest(signature(url, params, gateway.auth_token), given):
            return
    raise Forged("X-Twilio-Signature does not match this gateway's auth token.")


def parse(request) -> Inbound:
    sender = request.POST.get("From", "")
    if not sender:
        raise Malformed("From: every Twilio message names its sender.")
    channel = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    return Inbound(
        provider_id=short(request.POST.get("MessageSid") or request.POST.get("SmsSid")),
        phone=short(sender.removeprefix("whatsapp:"), 60),
        channel=channel,
        text=request.POST.get("Body", "")[: MAX_CHARS * 2],
    )


def send(gateway, *, phone: str, channel: str, text: str) -> str:
    base = (gateway.api_base or DEFAULT_API).rstrip("/")
    prefix = "whatsapp:" if channel == "whatsapp" else ""
    sender = gateway.number if gateway.number.startswith(prefix) else prefix + gateway.number
    try:
        response = requests.post(
            f"{base}/2010-04-01/Accounts/{gateway.account}/Messages.json",
            data={"From": sender, "To": prefix + phone, "Body": text},
            auth=(gateway.account, gateway.auth_token),
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise SendFailed(f"Twilio unreachable: {type(exc).__name__}") from None
    if response.status_code >= 300:
        # 4xx: Twilio refused this message for good (unsubscribed, bad number...).
        raise SendFailed(
            f"Twilio answered {response.status_code}: {response.text[:200]}",
            status=response.status_code,
            permanent=400 <= response.status_code < 500 and response.status_code != 429,
        )
    return short(response.json().get("sid"))
