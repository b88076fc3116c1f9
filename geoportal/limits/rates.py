"""The limits ("<count>/<period>", period second, minute, hour or day, optionally with a
multiplier: "5/15minute"): Django settings first, then the environment, then a default.
Read when used, so that tests and operators may change them without a restart of code."""

import os
import re
from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # Citizen reports: per client (anonymous) or per account. Refused attempts (4xx)
    # are given back; KOMIN_RATE_REPORT_ATTEMPTS bounds every attempt, refused or not.
    "KOMIN_RATE_ANON_REPORTS": "10/hour",
    "KOMIN_RATE_USER_REPORTS": "60/hour",
    "KOMIN_RATE_REPORT_ATTEMPTS": "120/hour",
    # Anonymous "me too", follow a report, follow an area: per client.
    "KOMIN_RATE_ANON_ACTIONS": "60/hour",
    # Cheap-looking anonymous reads (search, stats, nearby, subscription links): per client.
    "KOMIN_RATE_ANON_READS": "600/minute",
    # Password log-in (admin, staff page, API token): failed attempts per account and
    # client together, and a looser limit per client whatever the account.
    "KOMIN_RATE_LOGIN": "10/15minute",
    "KOMIN_RATE_LOGIN_CLIENT": "100/hour",
    # Confirmation e-mails: per recipient address and per client.
    "KOMIN_RATE_EMAIL_RECIPIENT": "5/day",
    "KOMIN_RATE_EMAIL_CLIENT": "20/hour",
    # Open311: every request per client; POST also per API key.
    "KOMIN_RATE_OPEN311_POST": "120/hour",
    "KOMIN_RATE_OPEN311_CLIENT": "120/minute",
    # SMS and chat intake (messaging/): inbound messages per phone number and per gateway.
    "KOMIN_RATE_SMS_NUMBER": "30/hour",
    "KOMIN_RATE_SMS_GATEWAY": "3000/hour",
    # Participatory budgets: one-time codes sent per phone number and per account (SMS
    # cost money and pester the number's owner); comments on proposals per account.
    "KOMIN_RATE_PHONE_CODE_NUMBER": "3/hour",
    "KOMIN_RATE_PHONE_CODE_ACCOUNT": "5/hour",
    "KOMIN_RATE_PROPOSAL_COMMENTS": "10/hour",
}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day|[smhd])\w*\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse(text: str) -> Rate:
    match = PATTERN.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a rate such as '10/hour' or '5/15minute'.")
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * PERIODS[unit[0]])


def rate(name: str) -> Rate | None:
    """The rate of a setting; None when it is set empty (that limit is off)."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return parse(value) if str(value).strip() else None
