"""Prometheus metrics (prometheus-client), served at /metrics.

- `komin_http_request_duration_seconds{route,method,status}`: latency per route, named by
  its URL name (`tile`, `report-list`) or else its pattern, never the raw path.
- `komin_tile_cache_total{result="hit"|"miss"}`: the tile cache (layers/tiles/build.py).
- read when scraped: `komin_celery_queue_length{queue}`, `komin_outbox_backlog`
  (messages not yet sent), `komin_replica_lag_seconds{alias}` for each replica.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared by
gunicorn.conf.py at start): each worker writes its figures there and a scrape of any
worker adds them up. /metrics answers only clients in KOMIN_METRICS_NETWORKS (default:
this host) or with `Authorization: Bearer <KOMIN_METRICS_TOKEN>`."""

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from geoportal.api import error_response
from geoportal.limits.clients import client_address

request_log = logging.getLogger("komin.request")

REQUEST_SECONDS = Histogram(
    "komin_http_request_duration_seconds",
    "Time to answer a request, per route (URL pattern), method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TILE_CACHE = Counter("komin_tile_cache", "Tile cache lookups by result.", ["result"])


def route_of(request) -> str:
    if getattr(request, "metrics_route", None):
        return request.metrics_route
    match = getattr(request, "resolver_match", None)
    if match is not None:  # the URL's name (namespaced) when it has one, else its pattern
        return match.view_name if match.url_name else (match.route or "unnamed")
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_of(request)
        REQUEST_SECONDS.labels(route, request.method, f"{response.status_code // 100}xx").observe(
            seconds
        )
        # The route, not the path: paths can hold a report's private tracking token.
        request_log.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response


class BacklogCollector:
    """Figures read from the broker and the database at scrape time."""

    def collect(self):
        queues = GaugeMetricFamily(
            "komin_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        for name, length in celery_queue_lengths().items():
            queues.add_metric([name], length)
        yield queues
        from jobs.models import OutboxMessage

        yield GaugeMetricFamily(
            "komin_outbox_backlog",
            "Outbox messages not yet sent.",
            value=OutboxMessage.objects.filter(sent_at__isnull=True).count(),
        )
        lag = GaugeMetricFamily(
            "komin_replica_lag_seconds", "Replay delay of a replica.", labels=["alias"]
        )
        for alias, seconds in replica_lags().items():
            lag.add_metric([alias], seconds)
        yield lag


def celery_queue_lengths() -> dict[str, int]:
    if not settings.CELERY_BROKER_URL:
        return {}
    from geoportal.celery import app

    names = {settings.CELERY_TASK_DEFAULT_QUEUE}
    lengths = {}
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=0, timeout=1)
            channel = connection.default_channel
            for name in sorted(names):
                lengths[name] = _length(channel, name)
    except Exception:  # broker down: nothing to report (/readyz says it)
        return {}
    return lengths


def _length(channel, name: str) -> int:
    try:
        return channel.queue_declare(name, passive=True).message_count
    except Exception:  # a queue never declared (Redis: an empty list) holds nothing
        return 0


def replica_lags() -> dict[str, float]:
    """Seconds since the last replayed transaction, for every database that is a standby."""
    lags = {alias: _lag(alias) for alias in settings.DATABASES if alias != "default"}
    return {alias: seconds for alias, seconds in lags.items() if seconds is not None}


def _lag(alias: str) -> float | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_is_in_recovery() THEN COALESCE(EXTRACT(EPOCH FROM"
                " now() - pg_last_xact_replay_timestamp()), 0) END"
            )
            (seconds,) = cursor.fetchone()
    except Exception:  # a replica that is down has no lag to report (/readyz says it)
        return None
    return None if seconds is None else float(seconds)


def registry() -> CollectorRegistry:
    found = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(found)
    else:
        for collector in (REQUEST_SECONDS, TILE_CACHE):
            found.register(collector)
    found.register(BacklogCollector())
    return found


def allowed(request) -> bool:
    token = settings.KOMIN_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[7:].encode(), token.encode())
    address = ipaddress.ip_address(client_address(request))
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.KOMIN_METRICS_NETWORKS]
    return any(address.version == n.version and address in n for n in networks)


def metrics(request):
    if request.method not in ("GET", "HEAD"):
        return error_response(405, "method_not_allowed", f"{request.method} is not allowed here.")
    if not allowed(request):
        return error_response(
            403, "forbidden", "Metrics are for the monitoring network or a bearer token."
        )
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
