"""Health checks for load balancers and orchestrators.

`/healthz`: the process answers (touches nothing, so a database outage does not make
every app server look dead and get restarted). `/readyz`: the process can serve: the
database, each replica (any other configured database), the cache and the broker each
answer within a second; otherwise 503 naming which failed. Neither is rate-limited
nor logged as a server error. A middleware answers both, and /metrics
(geoportal/metrics.py), before anything else runs (no session, no `Host` check: a load
balancer and Prometheus reach each server by its address)."""

import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from geoportal.api import error_response

TIMEOUT_MS = 1000


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = {TIMEOUT_MS}; SELECT 1")


def _cache() -> None:
    cache = caches["default"]
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    if cache.get(key) != 1:
        raise RuntimeError("a value written was not read back")
    cache.delete(key)


def _broker() -> None:
    from geoportal.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0, timeout=TIMEOUT_MS / 1000)


def checks() -> dict:
    found = {alias: (lambda a=alias: _database(a)) for alias in settings.DATABASES}
    found["database"] = found.pop("default")
    found["cache"] = _cache
    if settings.CELERY_BROKER_URL:
        found["broker"] = _broker
    return found


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure means "not ready"; the kind says which
        result = {"ok": False, "error": type(exc).__name__}
    else:
        result = {"ok": True}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _unlogged(response):
    response._has_been_logged = True  # an expected 503, not a server error in the log
    return response


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "alive"})


def readyz(request) -> JsonResponse:
    results = {name: _run(check) for name, check in checks().items()}
    failed = [name for name, result in results.items() if not result["ok"]]
    if failed:
        body = {
            "error": "not_ready",
            "detail": f"Not ready: {', '.join(failed)} failed.",
            "checks": results,
        }
        return _unlogged(JsonResponse(body, status=503))
    return JsonResponse({"status": "ready", "checks": results})


def _metrics(request):
    from geoportal.metrics import metrics

    return metrics(request)


# Prometheus scrapes each app server by its address too: /metrics is answered here.
PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": _metrics}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        request.metrics_route = request.path_info.lstrip("/")
        if request.method not in ("GET", "HEAD"):
            response = error_response(405, "method_not_allowed", "Use GET or HEAD.")
            response["Allow"] = "GET, HEAD"
            return response
        response = probe(request)
        add_never_cache_headers(response)
        if request.method == "HEAD":
            response.content = b""
        return response
