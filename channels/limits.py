"""Abuse limits of the intake, through the one limit mechanism (geoportal.limits):
inbound messages per phone number and per gateway."""

import hashlib

from geoportal.limits.limiter import take


def count_inbound(*, gateway, phone: str) -> None:
    """Raises Limited (429) when the number or the gateway is over its rate."""
    take(setting="KOMIN_RATE_SMS_GATEWAY", scope="sms-gateway", ident=str(gateway.pk))
    take(
        setting="KOMIN_RATE_SMS_NUMBER",
        scope="sms-number",
        ident=hashlib.sha256(phone.encode()).hexdigest(),
    )
