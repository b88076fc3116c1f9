"""Redis stopped and started while citizens file reports with followers:

    make bench-submit BENCH_ARGS="--fault redis-restart [--down 5] [--sweep-seconds 10]"

A private redis-server (Debian's binary, a free port, its folder under .local/bench/redis,
no persistence: what was queued in it is lost when it stops, the harshest case) is the
Celery broker, the cache and the rate-limit store of a private Komin (gunicorn on a copy
of the development database, `<your database>_bench_load`) and of a Celery worker with its
beat (the outbox sweep every --sweep-seconds) started here; the machine's Redis on 6379 is
never touched. Mail goes to the file backend in a folder of this run.

Three followers subscribe to the commune of the reports; clients post reports for
--seconds; a third of the way in Redis is stopped (SIGTERM) for --down seconds, then
started again. Then the bench waits until every outbox message of this run is sent and
prints: reports acknowledged (201) against rows, outbox messages against rows, e-mails
due (the recipients of each report's update, as the worker computes them) against
e-mails written by the mail backend, none twice, none missing, and the time to drain
(from Redis back to the last message sent)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

from serving import LOCAL, ROOT, copy_of_dev, forget, free_port, gunicorn, stop

FOLLOWERS = 3
POINT = (-72.3388, 18.5392)  # Port-au-Prince, as bench/submissions.py


class PrivateRedis:
    """redis-server on `port` with its own folder; stop() and start() again on that port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
            "--dir", str(self.folder), "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        raise SystemExit(f"redis-server did not answer on {self.port}: {self.folder}/redis.log")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def worker(env: dict, folder: Path) -> subprocess.Popen:
    """A Celery worker with its beat, as scripts/run.sh starts them; waits until ready."""
    log = folder / "worker.log"
    command = [
        str(ROOT / ".venv" / "bin" / "celery"), "-A", "geoportal", "worker", "--beat",
        "--schedule", str(folder / "celerybeat-schedule"), "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--loglevel", "INFO",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the Celery worker stopped: see {log}")
        if " ready." in log.read_text():
            return process
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the Celery worker was not ready in 180 s: see {log}")


def django_on(url: str) -> None:
    os.environ.update(DATABASE_URL=url, KOMIN_DEV="1", DJANGO_SETTINGS_MODULE="geoportal.settings")
    for name in ("KOMIN_REDIS_URL", "KOMIN_BROKER_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)  # this process reads the database only
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def followers(run: str) -> list[str]:
    from layers.models import AdminArea
    from reports.models import Subscription
    from reports.services.reports import locate

    commune = locate(lon=POINT[0], lat=POINT[1])["commune"]
    area = AdminArea.objects.get(pk=commune.pk)
    emails = [f"follower-{run}-{i}@example.org" for i in range(FOLLOWERS)]
    for i, email in enumerate(emails):
        Subscription.objects.create(
            email=email, area=area, token=f"bench-{run}-{i}", confirmed=True, language="fr"
        )
    return emails


def run_messages(run: str):
    from jobs.models import OutboxMessage
    from reports.models import ReportUpdate
    from reports.services.notify import OUTBOX_KIND

    updates = ReportUpdate.objects.filter(report__description__startswith=f"bench {run} ")
    ids = list(updates.values_list("pk", flat=True))
    return OutboxMessage.objects.filter(kind=OUTBOX_KIND, payload__update_id__in=ids)


def due(run: str) -> Counter:
    """(e-mail, report reference) of every notification this run's updates owe."""
    from reports.models import ReportUpdate
    from reports.services.notify import NOTIFIED, recipients

    owed: Counter = Counter()
    updates = ReportUpdate.objects.filter(
        report__description__startswith=f"bench {run} ", kind__in=NOTIFIED, public=True
    ).select_related("report__team", "report__reporter")
    for update in updates:
        for email in recipients(update):
            owed[(email, update.report.reference)] += 1
    return owed


def sent(folder: Path, references: set[str]) -> Counter:
    """(e-mail, reference) of every message the file backend wrote for this run's reports."""
    found: Counter = Counter()
    if not folder.exists():
        return found
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text().split("-" * 79):
            if not chunk.strip():
                continue
            message = message_from_string(chunk.strip())
            subject = str(make_header(decode_header(message["Subject"] or "")))
            reference = subject.removeprefix("[Komin] ").split(":")[0]
            if reference in references:
                found[(message["To"], reference)] += 1
    return found


def main(args) -> None:
    run = uuid.uuid4().hex[:8]
    folder = LOCAL / "redis" / run
    mail = folder / "mail"
    url = copy_of_dev("_bench_load")
    print(f"bench reports left by earlier runs, removed: {forget(url)}")
    django_on(url)
    from reports.models import Report, Subscription

    emails = followers(run)
    redis = PrivateRedis(folder)
    redis.start()
    env = {
        "KOMIN_BROKER_URL": f"{redis.url}/0",
        "KOMIN_REDIS_URL": f"{redis.url}/1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "KOMIN_OUTBOX_SWEEP_SECONDS": str(args.sweep_seconds),
    }
    server = celery = None
    acked: list[str] = []
    errors: Counter = Counter()
    during: list[float] = []
    marks: dict[str, float] = {}
    try:
        port = free_port()
        server = gunicorn(url, port, LOCAL / "redis-fault-gunicorn.log", **env)
        celery = worker({**os.environ, **env, "DATABASE_URL": url}, folder)
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        counter = iter(range(10**9))
        code = category(url)

        def poster():
            import http.client

            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while time.monotonic() < deadline:
                with lock:
                    text = f"bench {run} {next(counter)}"
                body = json.dumps(
                    {"category": code[0], "lon": POINT[0], "lat": POINT[1],
                     "description": text, "answers": code[1]}
                )  # fmt: skip
                started = time.monotonic()
                try:
                    conn.request(
                        "POST", "/api/v1/reports/", body, {"Content-Type": "application/json"}
                    )
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        errors[f"dropped:{type(exc).__name__}"] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    continue
                with lock:
                    if response.status == 201:
                        acked.append(text)
                        if "down" in marks and "up" not in marks:
                            during.append(time.monotonic() - started)
                    else:
                        errors[str(response.status)] += 1

        threads = [threading.Thread(target=poster) for _ in range(args.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        redis.stop()
        marks["down"] = time.monotonic()
        time.sleep(args.down)
        waiting = run_messages(run).filter(sent_at__isnull=True).count()
        redis.start()
        marks["up"], back_wall = time.monotonic(), time.time()
        for thread in threads:
            thread.join()
        posted = time.monotonic() - began
        messages = run_messages(run)
        drain_deadline = time.monotonic() + args.drain_timeout
        while messages.filter(sent_at__isnull=True).exists():
            if time.monotonic() > drain_deadline:
                break
            time.sleep(0.2)
        drained = time.monotonic()
    finally:
        for process in (server, celery):
            if process is not None:
                stop(process)
        redis.stop()
    stored = list(
        Report.objects.filter(description__startswith=f"bench {run} ").values_list(
            "description", "reference"
        )
    )
    references = {reference for _, reference in stored}
    messages = run_messages(run)
    last_sent = max(messages.values_list("sent_at", flat=True), default=None, key=_key)
    owed, wrote = due(run), sent(mail, references)
    twice = sum(n - 1 for n in wrote.values() if n > 1) + sum(n - 1 for n in owed.values() if n > 1)
    Subscription.objects.filter(email__in=emails).delete()
    report(
        args, posted, acked, stored, errors, during, waiting, messages, owed, wrote, twice,
        last_sent, back_wall, drained - marks["up"],
    )  # fmt: skip


def _key(value):
    return value.timestamp() if value else 0


def category(url: str) -> tuple[str, dict]:
    from submissions import category as first_category

    return first_category(url)


def report(args, posted, acked, stored, errors, during, waiting, messages, owed, wrote, twice,
           last_sent, back_wall, waited) -> None:  # fmt: skip
    descriptions = [d for d, _ in stored]
    created, distinct = len(descriptions), len(set(descriptions))
    lost = len(set(acked) - set(descriptions))
    total, pending = messages.count(), messages.filter(sent_at__isnull=True).count()
    retried = messages.filter(attempts__gt=1).count()
    owed_set, wrote_set = set(owed), set(wrote)
    missing, extra = len(owed_set - wrote_set), len(wrote_set - owed_set)
    ok = created == len(acked) == distinct and not lost
    mail_ok = owed_set == wrote_set and not twice and not pending
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(
        f"{args.clients} clients for {posted:.1f} s; Redis (broker, cache, rate limits) stopped "
        f"{args.down:.0f} s from {args.seconds / 3:.0f} s; outbox sweep every "
        f"{args.sweep_seconds:.0f} s; {FOLLOWERS} followers of the commune"
    )
    slow = f", {len(during)} of them while Redis was down (median " + (
        f"{sorted(during)[len(during) // 2]:.2f} s each)" if during else "-)"
    )
    print(
        f"reports acknowledged (201) {len(acked)}{slow}; rows {created} ({distinct} distinct) "
        f"-> {'equal' if ok else 'NOT EQUAL'}; acknowledged but missing {lost}"
    )
    print(f"errors: {dict(errors) or 'none'}")
    print(
        f"outbox messages {total} (one per report: {'yes' if total == created else 'NO'}); "
        f"waiting in the outbox when Redis came back {waiting}; sent {total - pending}, "
        f"pending {pending}, retried {retried}"
    )
    print(
        f"notifications due {sum(owed.values())} ({len(owed_set)} distinct) = e-mails sent "
        f"{sum(wrote.values())} ({len(wrote_set)} distinct) -> "
        f"{'equal' if mail_ok else 'NOT EQUAL'}; twice {twice}, missing {missing}, "
        f"unexpected {extra}"
    )
    drain = f"{last_sent.timestamp() - back_wall:.1f} s" if last_sent else "-"
    print(
        f"time to drain: last message sent {drain} after Redis was back "
        f"({'drained' if not pending else 'NOT drained'}; waited {waited:.1f} s)"
    )
