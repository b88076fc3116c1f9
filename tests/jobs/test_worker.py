"""A real Celery worker process on the Redis at 127.0.0.1:6379 runs jobs queued by this
process: queued → running (progress moving) → done, and a failure recorded with its error.

The worker gets a queue name of its own, so tests of several checkouts never share one;
it reads the test database, so these tests commit their rows, then delete them (a
flush of the whole database would also wipe the Haiti boundaries other tests share)."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from kombu import pools

from geoportal.celery import app
from jobs.job_runners import SELFTEST
from jobs.models import Job, OutboxMessage
from jobs.services import job_create
from jobs.tasks import sweep
from layers.models import AdminArea, Feature, Layer
from tests.jobs.test_import_jobs import points

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"
DOWN = "redis://127.0.0.1:9/0"  # nothing listens there: the broker is down
USERS = "worker-test-"
WAIT = 180  # seconds: a worker start on a loaded 2-core machine


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url() -> str:
    s = connection.settings_dict
    user, password = quote(s["USER"] or ""), quote(s["PASSWORD"] or "")
    return (
        f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def wait_for_worker(process, log: Path) -> None:
    """Until the worker logs that it is ready (a start on a loaded machine takes a while)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {log.read_text()[-2000:]}")
        if " ready." in log.read_text():
            return
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready in {WAIT} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def worker_process(django_db_setup, tmp_path_factory):
    """One worker for this module (starting one takes seconds), on a queue of its own."""
    if not redis_answers():
        pytest.fail("Redis does not answer on 127.0.0.1:6379 (scripts/setup.sh starts it)")
    folder = tmp_path_factory.mktemp("worker")
    queue = f"komin-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "KOMIN_BROKER_URL": BROKER,
        "KOMIN_JOBS_QUEUE": queue,
        "KOMIN_JOBS_DIR": str(folder / "jobs"),
        "KOMIN_IMPORT_BATCH_ROWS": "20",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "KOMIN_DEV": "1",
    }
    name = f"{queue}@localhost"
    command = [
        sys.executable, "-m", "celery", "-A", "geoportal", "worker", "-Q", queue, "-n", name,
        "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=INFO",
    ]  # fmt: skip
    with open(folder / "worker.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_worker(process, folder / "worker.log")
            yield queue, folder
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            store = redis.Redis.from_url(BROKER)
            for key in store.scan_iter(f"*{queue}*"):  # the queue's bindings
                store.delete(key)


@pytest.fixture
def worker(worker_process, django_db_blocker, settings):
    """This process queues to the worker's queue through Redis instead of running inline;
    what a test commits is deleted afterwards."""
    queue, folder = worker_process
    settings.KOMIN_JOBS_DIR = folder / "jobs"
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=queue)
    reset_pools()  # inline jobs before may have left a producer pool for another broker
    with django_db_blocker.unblock():
        try:
            yield folder
        finally:
            app.conf.update(saved)
            reset_pools()
            Job.objects.filter(created_by__username__startswith=USERS).delete()
            Layer.objects.filter(slug="worker-wells").delete()
            get_user_model().objects.filter(username__startswith=USERS).delete()


def reset_pools() -> None:
    app.pool.force_close_all()
    pools.reset()  # kombu's shared pools: the next publish connects anew
    app._pool = app.amqp._producer_pool = None


def use_broker(url: str) -> None:
    app.conf.broker_url = url
    reset_pools()


def follow(job: Job, *, until=("done", "failed")) -> list[tuple[str, int]]:
    """Every (status, progress) seen while polling, until the job finishes."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        state = (job.status, job.progress)
        if not seen or seen[-1] != state:
            seen.append(state)
        if job.status in until:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"job {job.pk} still {job.status} after {WAIT} s; seen {seen}")


def test_a_worker_runs_a_job_queued_then_running_with_progress_then_done(worker):
    user = get_user_model().objects.create_user(f"{USERS}planner", is_staff=True)
    job = job_create(kind=SELFTEST, params={"steps": 4, "pause": 0.3}, user=user)
    seen = follow(job)
    assert seen[0] == ("queued", 0)
    running = [progress for status, progress in seen if status == "running"]
    assert any(0 < progress < 100 for progress in running), seen
    assert running == sorted(running)
    assert seen[-1] == ("done", 100)
    job.refresh_from_db()
    assert job.result == {"steps": 4} and job.attempts == 1


def test_a_worker_imports_a_file_in_batches_and_records_a_failure(worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layers.job_runners import LAYER_IMPORT, import_params
    from layers.services.imports import ImportOptions

    user = get_user_model().objects.create_user(f"{USERS}chief", is_staff=True)
    upload = SimpleUploadedFile("wells.geojson", points(100).encode())
    options = ImportOptions(layer="worker-wells", id_field="code")
    job = job_create(kind=LAYER_IMPORT, params=import_params(options), user=user, upload=upload,
                     input_suffix=".geojson")  # fmt: skip
    assert follow(job)[-1] == ("done", 100)
    job.refresh_from_db()
    assert job.result["created"] == 100
    assert Feature.objects.filter(layer__slug="worker-wells").count() == 100

    broken = SimpleUploadedFile("broken.geojson", b'{"type": "FeatureCollection", "features": [')
    job = job_create(kind=LAYER_IMPORT, params=import_params(options), user=user, upload=broken,
                     input_suffix=".geojson")  # fmt: skip
    assert follow(job)[-1][0] == "failed"
    job.refresh_from_db()
    assert "broken.geojson" in job.error and "/tmp" not in job.error


def sent_messages(folder: Path) -> list:
    """The messages the file-based mail backend wrote (one file per connection)."""
    text = "\n".join(path.read_text() for path in sorted(folder.iterdir()))
    chunks = [chunk.strip() for chunk in text.split("-" * 79)]
    return [message_from_string(chunk) for chunk in chunks if chunk]


def wait_until(check, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not after {WAIT} s: {what}")


def test_reports_filed_while_the_broker_is_down_are_each_notified_once_when_it_is_back(
    worker, haiti
):
    from reports.models import Category, Report, RoutingRule, Subscription, Team
    from reports.services.reports import report_create
    from tests.reports.factories import PAP, catalogue

    mail_dir = worker / "mail"
    try:
        world = catalogue()
        Subscription.objects.create(
            email="voisin@example.org", area=AdminArea.objects.get(pcode="HT0111"),
            token="t-worker", confirmed=True,
        )  # fmt: skip
        use_broker(DOWN)
        references = [
            report_create(
                category=world["pothole"], lon=PAP[0], lat=PAP[1] + i * 1e-3,
                answers={"size": "small"},
            ).report.reference
            for i in range(3)
        ]  # fmt: skip
        pending = OutboxMessage.objects.filter(sent_at__isnull=True)
        assert pending.count() == 3 and not mail_dir.exists()

        use_broker(BROKER)
        sweep.apply_async(queue=app.conf.task_default_queue)  # what beat does every 30 s
        wait_until(lambda: not pending.exists(), "every message sent")
        sent = sent_messages(mail_dir)
        assert [m["To"] for m in sent] == ["voisin@example.org"] * 3
        subjects = [str(make_header(decode_header(m["Subject"]))) for m in sent]
        assert sorted(subject.split(":")[0] for subject in subjects) == sorted(
            f"[Komin] {ref}" for ref in references
        )
        assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
        assert sweep() == {"delivered": 0}  # a second pass sends nothing again
    finally:
        OutboxMessage.objects.all().delete()
        Report.objects.filter(category__code__in=["pothole", "water-point-broken"]).delete()
        Subscription.objects.filter(token="t-worker").delete()
        RoutingRule.objects.all().delete()
        Team.objects.filter(
            name__in=["triage", "roads-pap", "water", "cap", "roads-delmas"]
        ).delete()
        Category.objects.filter(code__in=["pothole", "water-point-broken"]).delete()
