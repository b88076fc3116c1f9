"""JSON log lines with a request id: made here or taken from a trusted proxy, answered in
`X-Request-ID`, carried into Celery task headers and outbox deliveries; private fields
never written."""

import json
import logging
import warnings

import pytest
from celery.signals import task_postrun, task_prerun

from geoportal import request_id
from geoportal.celery import app
from geoportal.logs import JsonFormatter
from jobs.models import OutboxMessage
from jobs.outbox import deliver_message, outbox_add, outbox_handler
from jobs.tasks import sweep

GIVEN = "nginx-4f2a9c1e77b0"


def test_each_answer_carries_a_new_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_is_taken_only_from_a_trusted_proxy(client, settings):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=GIVEN)["X-Request-ID"] != GIVEN
    settings.KOMIN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID=GIVEN)["X-Request-ID"] == GIVEN
    bad = client.get("/healthz", HTTP_X_REQUEST_ID="x\ny: injected")
    assert bad["X-Request-ID"] != "x\ny: injected"


def test_a_request_logs_one_json_line_with_its_id_and_route(client, caplog):
    with caplog.at_level(logging.INFO, logger="komin.request"):
        response = client.get("/tiles/areas-departement.json")
    (record,) = [r for r in caplog.records if r.name == "komin.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert line["route"] == "tilejson"
    assert line["status"] == response.status_code and line["duration_ms"] >= 0


def test_private_fields_and_addresses_are_masked_in_log_lines():
    record = logging.LogRecord(
        "komin", logging.WARNING, "x.py", 1, "from %s at %s", ("a@b.ht", "/t/?token=s3c"), None
    )
    record.reporter_phone = "+509 3700 0000"
    record.payload = {"reporter_name": "Ti Jan", "photo_exif": {"gps": [1, 2]}, "ref": "R-1"}
    line = json.loads(JsonFormatter().format(record))
    text = json.dumps(line)
    assert "Ti Jan" not in text and "3700" not in text and "a@b.ht" not in text
    assert "s3c" not in text and "token=[private]" in text
    assert "gps" not in text and line["payload"]["ref"] == "R-1"


def test_a_queued_task_carries_the_request_id_in_its_headers():
    published = {}

    def capture(headers=None, **_):
        published.update(headers or {})

    from celery.signals import before_task_publish

    before_task_publish.connect(capture, weak=False)
    token = request_id.bind(GIVEN)
    try:
        # The real publishing path, to an in-memory broker.
        with app.connection_for_write("memory://") as connection, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "eager has no effect on send_task": intended
            app.send_task("jobs.sweep", connection=connection, queue="komin-test-headers")
    finally:
        request_id.unbind(token)
        before_task_publish.disconnect(capture)
    assert published.get(request_id.TASK_HEADER) == GIVEN


def test_a_running_task_logs_with_the_id_of_its_header():
    task = sweep
    task.push_request(id="t-1", **{request_id.TASK_HEADER: GIVEN})
    try:
        task_prerun.send(sender=task, task_id="t-1", task=task, args=(), kwargs={})
        seen = request_id.current()
        task_postrun.send(sender=task, task_id="t-1", task=task, args=(), kwargs={})
    finally:
        task.pop_request()
    assert seen == GIVEN and request_id.current() == ""


@pytest.mark.django_db
def test_an_outbox_delivery_logs_with_the_id_of_the_request_that_wrote_it(caplog):
    outbox_handler("test-log")(lambda payload: logging.getLogger("komin.test").info("sending"))
    token = request_id.bind(GIVEN)
    try:
        message = outbox_add(kind="test-log", payload={})
    finally:
        request_id.unbind(token)
    assert OutboxMessage.objects.get(pk=message.pk).request_id == GIVEN
    with caplog.at_level(logging.INFO):
        assert deliver_message(message_id=message.pk)  # later, from the sweep: no request
    lines = [r for r in caplog.records if r.name in ("komin.test", "jobs.outbox")]
    assert lines and {r.request_id for r in lines} == {GIVEN}
