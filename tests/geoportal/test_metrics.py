"""/metrics: latency per route name, tile cache hits and misses, outbox backlog, replica
lag, guarded by network or token. (Several gunicorn workers adding up their figures:
tests/operations/test_nginx.py.)"""

from prometheus_client.parser import text_string_to_metric_families

from jobs.models import OutboxMessage

TILE = "/tiles/areas-departement/7/37/56.pbf"


def samples(client, **headers) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_tile_requests_are_counted_by_route_and_cache_result(client, haiti, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 60
    before = samples(client)
    client.get(TILE)
    client.get(TILE)
    after = samples(client)
    route = "tile"
    count = "komin_http_request_duration_seconds_count"
    labels = {"route": route, "method": "GET", "status": "2xx"}
    assert value(after, count, **labels) - value(before, count, **labels) == 2
    assert not any(TILE in str(key) for key in after)  # the pattern, never the raw path
    for result in ("hit", "miss"):
        grew = value(after, "komin_tile_cache_total", result=result) - value(
            before, "komin_tile_cache_total", result=result
        )
        assert grew == 1, result


def test_the_outbox_backlog_counts_unsent_messages(client):
    OutboxMessage.objects.create(kind="test", payload={})
    OutboxMessage.objects.create(kind="test", payload={})
    assert value(samples(client), "komin_outbox_backlog") == 2


def test_replica_lag_is_reported_for_a_standby_only(settings):
    from geoportal.metrics import replica_lags

    assert replica_lags() == {}  # no replica configured, and the primary is no standby


def test_metrics_are_scraped_by_the_server_address_whatever_the_allowed_hosts(client):
    response = client.get("/metrics", HTTP_HOST="10.0.0.5:8001")
    assert (
        response.status_code == 200 and b"komin_http_request_duration_seconds" in response.content
    )


def test_metrics_are_refused_outside_the_allowed_networks(client, settings):
    settings.KOMIN_METRICS_NETWORKS = ["10.9.0.0/16"]
    response = client.get("/metrics")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert client.get("/metrics", REMOTE_ADDR="10.9.3.4").status_code == 200


def test_a_forwarded_address_opens_metrics_only_through_a_trusted_proxy(client, settings):
    settings.KOMIN_METRICS_NETWORKS = ["10.9.0.0/16"]
    spoofed = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "10.9.3.4"}
    assert client.get("/metrics", **spoofed).status_code == 403
    settings.KOMIN_TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert client.get("/metrics", **proxied).status_code == 403  # nginx itself is local


def test_a_bearer_token_opens_metrics_from_anywhere(client, settings):
    settings.KOMIN_METRICS_NETWORKS = ["10.9.0.0/16"]
    settings.KOMIN_METRICS_TOKEN = "s3cret-scrape-token"
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert right.status_code == 200 and b"komin_outbox_backlog" in right.content
