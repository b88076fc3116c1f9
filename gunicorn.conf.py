"""gunicorn settings for Komin (`make run`, the browser tests, production).

Threaded workers (gthread): a connection that idles between keep-alive requests waits in
the worker's poller, not in a thread, and a slow client (a photo upload over 3G) holds one
thread of one worker while the others serve everyone else. The worker `timeout` is a
heartbeat of the worker's main loop, so a long upload is not killed at 30 s as a sync
worker's request was. Every value can be set from the environment."""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("WORKERS", 3)
# Threads per worker: requests in flight at once = workers x threads. Each holds at most
# one database connection (CONN_MAX_AGE keeps them), so keep workers x threads below
# PostgreSQL's max_connections.
threads = _int("GUNICORN_THREADS", 8)
# A worker whose main loop is stuck this long is restarted (not a per-request limit).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections are closed after this many seconds.
# Longer than the idle time of a proxy's (nginx: 30 s, deploy/nginx) or a client's reused
# connection, so that the other side closes first: a request sent on a connection the
# server closes at that instant fails. At 5 s, planners pausing 2-5 s between analyses
# (bench/load.py) met 21 "connection closed without response" in 5 minutes. An idle
# connection waits in the gthread worker's poller, not in a thread.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# A worker is replaced after this many requests (bounded memory growth), staggered.
# No periodic worker restarts by default: a gthread worker that restarts after
# max_requests resets the keep-alive connections it has accepted but not served
# (gunicorn issue #3038, open): 100 simulated users for 5 minutes (bench/load.py) met 58
# resets, 6 of them on report posts the database had committed. Set it (e.g. 2000, with
# the jitter) only against a leak that is measured, and behind nginx.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Refuse oversized request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# gunicorn's control socket (`gunicornc`) is off unless a path is given: its default path
# ($HOME/.gunicorn/gunicorn.ctl) is one per user, so several servers on one machine (web
# servers behind nginx, tests, benches) would take it from one another.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


# Prometheus metrics from every worker (geoportal/metrics.py): each writes its figures to
# PROMETHEUS_MULTIPROC_DIR; the folder is emptied at start and a dead worker's live
# gauges are dropped.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
