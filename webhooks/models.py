"""Outgoing webhooks: endpoints registered by a jurisdiction's administrators for events,
each with its own secret, and every delivery with its response codes."""

import base64
import secrets

from django.conf import settings
from django.db import models

from communes.models import Jurisdiction

EVENTS = [
    ("report.created", "Report created"),
    ("report.status_changed", "Status changed"),
    ("report.assigned", "Assigned"),
    ("report.merged", "Merged"),
    ("report.hidden", "Hidden"),
    ("layer.features_changed", "Layer features changed"),
]


def new_secret() -> str:
    """Standard Webhooks' form: whsec_ + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event names; empty: every event.")
    secret = models.CharField(max_length=100, default=new_secret)
    internal = models.BooleanField(
        default=False, help_text="Private fields (the reporter's contact) are sent only here."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)
    failures = models.PositiveIntegerField(default=0, help_text="Deliveries failed in a row.")
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class Delivery(models.Model):
    """One event to one endpoint; its id is the `webhook-id` (the same on every retry)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    response_codes = models.JSONField(default=list, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"delivery {self.pk} {self.event}"

    @property
    def message_id(self) -> str:
        return f"msg_{self.pk}"

    @property
    def jurisdiction_id(self) -> int | None:  # communes.access finds its rows by it
        return self.endpoint.jurisdiction_id
