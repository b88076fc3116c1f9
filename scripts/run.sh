#!/usr/bin/env bash
# `make run`: gunicorn, and beside it a Celery worker for background jobs when a broker
# is at hand (KOMIN_BROKER_URL, else the machine's Redis on 127.0.0.1:6379, started if it
# is installed but stopped). Without a broker, jobs run inline in the web process.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[run] %s\n' "$*"; }
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

redis_answers() {
  .venv/bin/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=1).ping()" 2>/dev/null
}

if [ -z "${KOMIN_BROKER_URL:-}" ]; then
  if ! redis_answers && command -v redis-server >/dev/null 2>&1; then
    say "starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_answers && break; sleep 0.5; done
  fi
  if redis_answers; then
    export KOMIN_BROKER_URL=redis://127.0.0.1:6379/0
  fi
fi

WORKER_PID=""
stop_worker() { [ -z "$WORKER_PID" ] || kill "$WORKER_PID" 2>/dev/null || true; }
trap stop_worker EXIT INT TERM
if [ -n "${KOMIN_BROKER_URL:-}" ]; then
  say "background jobs: a Celery worker (with the periodic outbox sweep) on ${KOMIN_BROKER_URL##*@}"
  .venv/bin/celery -A geoportal worker --beat --schedule .local/celerybeat-schedule \
    --concurrency "${JOB_WORKERS:-1}" --loglevel INFO &
  WORKER_PID=$!
else
  say "no broker (KOMIN_BROKER_URL unset, no Redis): background jobs run inline"
fi
echo "Komin is serving on http://$HOST:$PORT/  (Ctrl-C to stop)"
# Threaded workers, timeouts and the bind address: gunicorn.conf.py (HOST, PORT, WORKERS).
HOST="$HOST" PORT="$PORT" .venv/bin/gunicorn -c gunicorn.conf.py geoportal.wsgi --access-logfile -
