"""SMS and chat intake: gateways (configuration, one per number), conversations per phone
number, the messages in and out, opt-outs and blocks. Phone numbers are contact data:
staff side only, never in public output."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from communes.models import Jurisdiction


def _slug() -> str:
    return secrets.token_urlsafe(12)


class Gateway(models.Model):
    """One number of one town hall at one provider. Its inbound webhook is
    /api/v1/channels/<kind>/<key>/; its replies go out through the provider's API."""

    class Kind(models.TextChoices):
        TWILIO = "twilio", "Twilio (SMS and WhatsApp)"
        RAPIDPRO = "rapidpro", "RapidPro / TextIt (flow webhook)"

    key = models.CharField(
        max_length=40, unique=True, default=_slug, help_text="The webhook URL's secret-less id."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="gateways"
    )
    number = models.CharField(
        max_length=60, help_text="The number people write to: +509…, or whatsapp:+509… (Twilio)."
    )
    account = models.CharField(
        max_length=100, blank=True, help_text="Twilio Account SID (AC…); empty for RapidPro."
    )
    auth_token = models.CharField(
        max_length=200,
        help_text="Twilio: the auth token (signs webhooks, authenticates the API). "
        "RapidPro: the API token of the workspace.",
    )
    inbound_secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="RapidPro: the secret the flow's webhook sends as `X-Komin-Secret`.",
    )
    api_base = models.URLField(
        blank=True, help_text="Twilio: https://api.twilio.com; RapidPro: https://textit.com…"
    )
    webhook_url = models.URLField(
        blank=True,
        help_text="Twilio signs the URL it calls: set it when a proxy changes how we see it.",
    )
    daily_cap = models.PositiveIntegerField(
        default=500, help_text="At most this many messages sent per day (SMS cost money)."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["twilio", "rapidpro"]), name="gateway_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Conversation(models.Model):
    """Where one phone number is in filing a report through one gateway; forgotten after
    `KOMIN_SMS_CONVERSATION_MINUTES` of silence, cancelled with 0."""

    class Step(models.TextChoices):
        CATEGORY = "category", "Which category"
        PLACE = "place", "Where"
        DESCRIPTION = "description", "What"
        CONFIRM = "confirm", "Confirm"

    gateway = models.ForeignKey(Gateway, on_delete=models.CASCADE, related_name="conversations")
    phone = models.CharField(max_length=60)
    channel = models.CharField(max_length=20, default="sms", help_text="sms or whatsapp")
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.CATEGORY)
    language = models.CharField(max_length=2, default="ht")
    category = models.ForeignKey(
        "reports.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.JSONField(null=True, blank=True, help_text="{name, lon, lat, uncertainty_m}")
    choices = models.JSONField(default=list, blank=True, help_text="The numbered menu sent.")
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "phone"], name="conversation_per_number")
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.step})"


class InboundMessage(models.Model):
    gateway = models.ForeignKey(Gateway, on_delete=models.CASCADE, related_name="inbound")
    provider_id = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=60)
    text = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # A gateway that retries (Twilio does) must not file twice.
            models.UniqueConstraint(
                fields=["gateway", "provider_id"],
                condition=~Q(provider_id=""),
                name="inbound_once_per_provider_id",
            )
        ]

    def __str__(self) -> str:
        return f"inbound {self.pk}"


class OutboundMessage(models.Model):
    """One message to send, written in the transaction that decided it; the worker sends
    it through the outbox (jobs.outbox) and records the provider's answer."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (opted out or over the daily cap)"

    gateway = models.ForeignKey(Gateway, on_delete=models.CASCADE, related_name="outbound")
    phone = models.CharField(max_length=60)
    channel = models.CharField(max_length=20, default="sms")
    text = models.TextField()
    # The text holds a one-time code: blanked once the provider has it (or it is dropped).
    secret = models.BooleanField(default=False)
    language = models.CharField(max_length=2)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    provider_id = models.CharField(max_length=100, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"outbound {self.pk} {self.state}"


class Follower(models.Model):
    """A phone number that asked for the status changes of a report by SMS."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="sms_followers"
    )
    gateway = models.ForeignKey(Gateway, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=60)
    channel = models.CharField(max_length=20, default="sms")
    language = models.CharField(max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "phone"], name="sms_follower_once")
        ]

    def __str__(self) -> str:
        return f"SMS follower of report {self.report_id}"


class OptOut(models.Model):
    """STOP / ARRET / ANILE: nothing more is sent to this number, by any gateway."""

    phone = models.CharField(max_length=60, unique=True)
    keyword = models.CharField(max_length=20)
    gateway = models.ForeignKey(
        Gateway, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"opt-out {self.pk} ({self.keyword})"


class BlockedNumber(models.Model):
    """A number whose messages are dropped unanswered (abuse), set by staff."""

    phone = models.CharField(max_length=60, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"blocked number {self.pk}"


class ApproximatePlace(models.Model):
    """A report placed from a name (an area or a named place), not a pin: where, and how
    far off it may be, until a crew pins it."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="approximate_place"
    )
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, help_text="section, commune, place or feature")
    uncertainty_m = models.PositiveIntegerField()
    pinned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (± {self.uncertainty_m} m)"
