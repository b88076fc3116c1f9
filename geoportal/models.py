from django.db import models


class RateCounter(models.Model):
    """One rate-limit window: counted by an atomic upsert (geoportal.limits.store), never
    culled before it expires, unlike a cache entry."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "komin_rate_counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` (geoportal.idempotency):
    a retry with the same key gets it again instead of writing twice. One row per client
    (account, Open311 key or address) and key, kept `KOMIN_IDEMPOTENCY_SECONDS`."""

    scope = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path and body")
    created_at = models.DateTimeField(db_index=True)
    # 0 only inside the first request's transaction, before its answer is known.
    status = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(null=True, help_text="a REST answer's data, rendered on replay")
    content = models.BinaryField(null=True, help_text="any other answer's bytes")
    headers = models.JSONField(default=dict)

    class Meta:
        db_table = "komin_idempotent_request"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.status}"
