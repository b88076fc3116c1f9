"""One id per request, in every log line it causes: the web request, the Celery tasks it
queues (a task header) and the outbox messages it writes (a column).

The id comes from `X-Request-ID` only when the connection comes from a trusted proxy
(nginx sets it, `deploy/nginx/komin.conf`) and it looks like an id; otherwise it is made
here. It is answered in the `X-Request-ID` response header."""

import contextvars
import logging
import re
import uuid

from geoportal.limits.clients import _address, _trusted, trusted_proxies

HEADER = "X-Request-ID"
TASK_HEADER = "komin_request_id"
VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("komin_request_id", default="")


def current() -> str:
    return _current.get()


def bind(request_id: str) -> contextvars.Token:
    return _current.set(request_id)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


def new_id() -> str:
    return uuid.uuid4().hex


def from_request(request) -> str:
    """The proxy's id when the peer is a trusted proxy and the id is well formed."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and VALID.match(given):
        peer = _address(request.META.get("REMOTE_ADDR", ""))
        proxies = trusted_proxies()
        if peer is not None and proxies and _trusted(peer, proxies):
            return given
    return new_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = from_request(request)
        token = bind(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every log record the current request id (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # django.request logs a 4xx/5xx after the middleware has returned: its record
            # carries the request.
            request = getattr(record, "request", None)
            record.request_id = current() or getattr(request, "request_id", "")
        return True


def connect_celery_signals() -> None:
    """The id travels with each task as a message header and is bound while it runs."""
    from celery.signals import (
        after_setup_logger,
        after_setup_task_logger,
        before_task_publish,
        task_postrun,
        task_prerun,
    )

    tokens: dict[str, contextvars.Token] = {}

    @before_task_publish.connect(weak=False)
    def _publish(headers=None, **_):
        if headers is not None and current() and not headers.get(TASK_HEADER):
            headers[TASK_HEADER] = current()

    @task_prerun.connect(weak=False)
    def _prerun(task_id=None, task=None, **_):
        given = task.request.get(TASK_HEADER) if task is not None else None
        if given and task_id:
            tokens[task_id] = bind(str(given))

    @task_postrun.connect(weak=False)
    def _postrun(task_id=None, **_):
        token = tokens.pop(task_id, None)
        if token is not None:
            unbind(token)

    @after_setup_logger.connect(weak=False)
    @after_setup_task_logger.connect(weak=False)
    def _worker_logs(logger=None, **_):
        """The worker's own handlers write the same JSON lines, with the task's id."""
        from django.conf import settings

        from geoportal.logs import JsonFormatter

        if logger is None or getattr(settings, "LOG_FORMAT", "json") != "json":
            return
        for handler in logger.handlers:
            handler.setFormatter(JsonFormatter())
            handler.addFilter(RequestIdFilter())
