"""The providers Komin speaks to: each reads its inbound webhook (and checks it came
from the provider) and sends a message through its API. A gateway row says which."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Inbound:
    provider_id: str
    phone: str  # +50937001122, without the channel's prefix
    channel: str  # sms or whatsapp
    text: str


class Forged(Exception):
    """The webhook does not carry the provider's proof: 403."""


class Malformed(Exception):
    """The webhook lacks what every message has (a sender): 400."""


class SendFailed(Exception):
    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status = status
        self.permanent = permanent


TIMEOUT = (5, 15)  # connect, read (seconds)
FIELD_MAX = 100


def short(value, limit: int = FIELD_MAX) -> str:
    return str(value or "")[:limit]


def module(kind: str):
    from channels.gateways import rapidpro, twilio

    return {"twilio": twilio, "rapidpro": rapidpro}[kind]
