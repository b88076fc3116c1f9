#!/usr/bin/env bash
# Finds or makes a PostGIS database and writes its URL to .local/database_url.
# Order: $DATABASE_URL; else the machine's PostgreSQL server (started if down);
# else a private cluster under .local/pg on its own port (or always, with KOMIN_PRIVATE_PG=1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
mkdir -p .local
say() { printf '[database] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
# KOMIN_DB_NAME, else the database this checkout already uses (so that a `make` target
# run without it, e.g. a bench, does not switch the checkout to another one), else komin.
DB_NAME=${KOMIN_DB_NAME:-}
if [ -z "$DB_NAME" ] && [ -z "${DATABASE_URL:-}" ] && [ -f .local/database_url ]; then
  DB_NAME=$(sed -E 's#.*/([^/?]+)(\?.*)?$#\1#' .local/database_url)
fi
DB_NAME=${DB_NAME:-komin}
DB_USER=komin
DB_PASS=komin

ensure_postgis() {  # $1 = URL
  .venv/bin/python - "$1" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1]); conn.autocommit = True
conn.cursor().execute("CREATE EXTENSION IF NOT EXISTS postgis")
PY
}

if [ -n "${DATABASE_URL:-}" ]; then
  ensure_postgis "$DATABASE_URL"
  printf '%s\n' "$DATABASE_URL" > .local/database_url
  exit 0
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

make_role_and_db() {  # run psql as a superuser with the given command prefix
  local psql=("$@")
  "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 ||
    "${psql[@]}" -qc "CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASS'"
  "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 ||
    "${psql[@]}" -qc "CREATE DATABASE $DB_NAME OWNER $DB_USER"
}

if [ "${KOMIN_PRIVATE_PG:-0}" != 1 ] && command -v pg_lsclusters >/dev/null 2>&1 &&
  [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
  read -r ver name port status _ < <(pg_lsclusters -h | sort -k1,1V | tail -1)
  if [ "$status" != "online" ]; then
    say "starting PostgreSQL $ver/$name"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
  fi
  make_role_and_db as_postgres psql -p "$port" -d postgres
  URL="postgres://$DB_USER:$DB_PASS@127.0.0.1:$port/$DB_NAME"
else
  # Private cluster. PostgreSQL refuses to run as root: as root, run it as 'postgres'.
  PGDATA="$ROOT/.local/pg/data"; SOCK="$ROOT/.local/pg/run"; PORT=${KOMIN_PG_PORT:-54329}
  runas=(); [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in .local/pg"
    mkdir -p "$PGDATA" "$SOCK"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$ROOT/.local/pg" && chmod o+x "$ROOT" "$ROOT/.local"
    "${runas[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
  fi
  if ! "${runas[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "starting the private cluster on port $PORT"
    "${runas[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$ROOT/.local/pg/log" -w \
      -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  make_role_and_db "${runas[@]}" "$PGBIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres
  URL="postgres://$DB_USER:$DB_PASS@127.0.0.1:$PORT/$DB_NAME"
fi
ensure_postgis "$URL"
printf '%s\n' "$URL" > .local/database_url
