"""Loaded in every process (web and worker) with the jobs app: registers the outbox
handler that e-mails followers (`reports.services.notify`)."""

from reports.services import notify  # noqa: F401
