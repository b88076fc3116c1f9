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
