"""Proving a phone number for a budget vote: a 6-digit code sent by SMS through the
messaging outbox (the gateway of the round's town hall). Only a keyed hash of the code
is kept; it expires after CODE_MINUTES, allows MAX_ATTEMPTS wrong guesses and is used
once. Sends are limited per number and per account (geoportal.limits)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from communes.access import Actor
from geoportal.limits.limiter import take
from messaging.models import Gateway
from messaging.outbound import queue_sms
from participation.models import BudgetRound, PhoneCode, VerifiedPhone
from participation.phones import normalise
from reports.errors import Invalid

CODE_MINUTES = 10
MAX_ATTEMPTS = 5


class NoGateway(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "no_sms_gateway"
    default_detail = "This town hall sends no SMS yet: phone numbers cannot be verified."


class CodeExpired(exceptions.ValidationError):
    default_code = "code_expired"


class TooManyAttempts(exceptions.Throttled):
    default_code = "too_many_attempts"


class NumberTaken(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "number_busy"
    default_detail = "This number is being verified by another account at this moment."


def _hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"phone-code:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _key(phone: str) -> str:
    """The number as a rate-limit key (the store keeps no phone numbers)."""
    return _hash(phone, "limit")


def _signed_in(actor: Actor) -> None:
    if actor.user is None:
        raise exceptions.NotAuthenticated(_("Log in with your account to take part."))


def _gateway(budget_round: BudgetRound) -> Gateway:
    gateway = (
        Gateway.objects.filter(jurisdiction=budget_round.jurisdiction_id, active=True)
        .order_by("pk")
        .first()
    )
    if gateway is None:
        raise NoGateway(_("This town hall sends no SMS yet: phone numbers cannot be verified."))
    return gateway


def code_send(*, actor: Actor, budget_round: BudgetRound, phone: str, language: str) -> str:
    """Queues an SMS with a new code to the number (earlier codes stop working); the
    normalised number. The limits count before anything is queued."""
    _signed_in(actor)
    number = normalise(phone)
    gateway = _gateway(budget_round)
    take(setting="KOMIN_RATE_PHONE_CODE_NUMBER", scope="phone-code-number", ident=_key(number),
         what=_("Too many codes were sent to this number in the last hour."))  # fmt: skip
    take(setting="KOMIN_RATE_PHONE_CODE_ACCOUNT", scope="phone-code-account",
         ident=str(actor.user_id), what=_("Your account asked for too many codes in the last hour."))  # fmt: skip
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(user=actor.user, used_at__isnull=True).update(used_at=now)
        PhoneCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()  # spent
        PhoneCode.objects.create(user=actor.user, phone=number, code_hash=_hash(number, code),
                                 expires_at=now + timedelta(minutes=CODE_MINUTES))  # fmt: skip
        with translation.override(language):
            text = _("Komin: your code is %(code)s. It is valid for %(minutes)d minutes. "
                     "Never give it to anyone.") % {"code": code, "minutes": CODE_MINUTES}  # fmt: skip
        queue_sms(gateway=gateway, phone=number, channel="sms", text=text, language=language,
                  secret=True)  # fmt: skip
    return number


def code_confirm(*, actor: Actor, phone: str, code: str) -> VerifiedPhone:
    """Checks the latest code sent to this account for this number. A wrong guess is
    counted (committed) before the refusal; the right one makes the number this
    account's, taking it from any account that held it before."""
    _signed_in(actor)
    number = normalise(phone)
    code = (code or "").strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise Invalid("code", _("The code has 6 digits."))
    refusal = None
    with transaction.atomic():
        pending = (
            PhoneCode.objects.select_for_update()
            .filter(user=actor.user, phone=number, used_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if pending is None:
            refusal = Invalid("code", _("No code is waiting for this number: ask for one."))
        elif pending.expires_at <= now:
            refusal = CodeExpired({"code": [_("This code has expired: ask for a new one.")]})
        elif pending.attempts >= MAX_ATTEMPTS:
            refusal = TooManyAttempts(
                detail=_("Too many wrong codes for this number: ask for a new one.")
            )
        elif not hmac.compare_digest(pending.code_hash, _hash(number, code)):
            pending.attempts += 1
            pending.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - pending.attempts
            refusal = Invalid(
                "code",
                _("Wrong code; %(left)d attempts left.") % {"left": left}
                if left
                else _("Wrong code; no attempts left: ask for a new code."),
            )
        else:
            pending.used_at = now
            pending.save(update_fields=["used_at"])
            return _hold(actor, number, now)
    raise refusal


def _hold(actor: Actor, number: str, now) -> VerifiedPhone:
    """One account holds a number at a time; a ballot already cast with it stays counted
    against the number (Ballot.phone), so moving it does not give a second vote."""
    try:
        with transaction.atomic():
            VerifiedPhone.objects.filter(phone=number).exclude(user=actor.user).delete()
            held, _created = VerifiedPhone.objects.update_or_create(
                user=actor.user, defaults={"phone": number, "verified_at": now}
            )
    except IntegrityError:
        raise NumberTaken(
            _("This number is being verified by another account at this moment.")
        ) from None
    return held


def verified_phone(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return VerifiedPhone.objects.filter(user=user).values_list("phone", flat=True).first()
