"""/healthz and /readyz on the real database, cache and (when configured) Redis broker."""

import logging

import pytest

from geoportal.celery import app


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a probe by address
    assert response.status_code == 200 and response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {"database", "cache"} <= set(checks) and all(c["ok"] for c in checks.values())


@pytest.fixture
def broker(settings):
    saved = app.conf.broker_url
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    app.conf.broker_url = settings.CELERY_BROKER_URL
    yield
    app.conf.broker_url = saved


def test_readyz_names_the_broker_when_it_is_down_without_logging_an_error(client, broker, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "not_ready" and "broker" in body["detail"]
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["database"]["ok"]
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_readyz_is_ok_with_a_broker_that_answers(client, settings):
    saved = app.conf.broker_url
    settings.CELERY_BROKER_URL = app.conf.broker_url = "redis://127.0.0.1:6379/15"
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 200 and response.json()["checks"]["broker"]["ok"]


def test_probes_are_not_rate_limited_where_reads_are(client, settings):
    settings.KOMIN_RATE_ANON_READS = "2/minute"
    assert [client.get("/search/?q=delmas").status_code for _ in range(3)][-1] == 429
    statuses = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 3}
    assert statuses == {200}


def test_probes_refuse_writes(client):
    response = client.post("/readyz")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"
