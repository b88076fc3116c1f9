from django.conf import settings
from django.db import models
from django.db.models import Q


class Job(models.Model):
    """A piece of background work (an import, a raster upload, a heavy analysis) that
    its starter polls: status, progress with a message, then a result or an error."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="0 to 100.")
    message = models.CharField(max_length=300, blank=True)
    input_file = models.CharField(
        max_length=200, blank=True, help_text="Uploaded file inside the job's folder."
    )
    input_name = models.CharField(max_length=200, blank=True, help_text="Its name as sent.")
    result = models.JSONField(null=True, blank=True)
    result_file = models.CharField(
        max_length=200, blank=True, help_text="Downloadable result inside the job's folder."
    )
    result_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True, help_text="Why it failed, without server paths.")
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the broker took it (empty: it was down)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="job_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class OutboxMessage(models.Model):
    """A message to deliver (an e-mail to followers...), written in the same transaction
    as the change it tells of, then delivered by a worker: nothing is lost when the
    broker is down, and a delivered message is marked so it goes out once."""

    kind = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    request_id = models.CharField(
        max_length=64, blank=True, help_text="The request that wrote it, for its log lines."
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.pk} {self.kind} {'sent' if self.sent_at else 'pending'}"
