#!/usr/bin/env bash
# A private PostgreSQL primary and a streaming replica on loopback, under .local/replica:
# Debian's PostgreSQL binaries, initdb, pg_basebackup -R; ports chosen free at creation
# and kept in .local/replica/ports. Idempotent.
#   scripts/replica.sh start            both up (created on first use); prints their URLs
#   scripts/replica.sh stop             both down
#   scripts/replica.sh stop-replica | start-replica | restart-primary
#   scripts/replica.sh urls             KOMIN_PRIMARY_URL=… and KOMIN_REPLICA_URL=…
#   scripts/replica.sh destroy          stop and delete .local/replica
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR="$ROOT/.local/replica"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DB=${KOMIN_REPLICA_DB:-komin}
runas=()
[ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
say() { printf '[replica] %s\n' "$*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ports() {
  if [ ! -f "$DIR/ports" ]; then
    mkdir -p "$DIR"
    echo "$(free_port) $(free_port)" > "$DIR/ports"
  fi
  read -r PRIMARY_PORT REPLICA_PORT < "$DIR/ports"
}

pg() { "${runas[@]}" "$PGBIN/$@"; }
running() { pg pg_ctl -D "$DIR/$1" status >/dev/null 2>&1; }
start_one() {  # name port
  running "$1" && return 0
  pg pg_ctl -D "$DIR/$1" -l "$DIR/$1.log" -w -t 30 \
    -o "-p $2 -k $DIR/run -c listen_addresses=127.0.0.1" start >/dev/null
}
stop_one() { if [ -f "$DIR/$1/PG_VERSION" ] && running "$1"; then pg pg_ctl -D "$DIR/$1" -m fast -w stop >/dev/null; fi; }
psql_primary() { pg psql -X -q -h "$DIR/run" -p "$PRIMARY_PORT" -U postgres "$@"; }

create_primary() {
  say "creating the primary in .local/replica/primary (port $PRIMARY_PORT)"
  mkdir -p "$DIR/primary" "$DIR/run"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$DIR" && chmod o+x "$ROOT" "$ROOT/.local"
  pg initdb -D "$DIR/primary" -A trust -U postgres >/dev/null
  cat >> "$DIR/primary/postgresql.conf" <<CONF
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
shared_buffers = 32MB
CONF
}

create_replica() {
  say "creating the replica in .local/replica/standby (port $REPLICA_PORT) with pg_basebackup"
  pg pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/standby" -R -X stream -c fast
}

start() {
  ports
  [ -f "$DIR/primary/PG_VERSION" ] || create_primary
  start_one primary "$PRIMARY_PORT"
  psql_primary -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='komin'" | grep -q 1 ||
    psql_primary -d postgres -c "CREATE ROLE komin LOGIN SUPERUSER PASSWORD 'komin'"
  psql_primary -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 ||
    { psql_primary -d postgres -c "CREATE DATABASE $DB OWNER komin" &&
      psql_primary -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"; }
  [ -f "$DIR/standby/PG_VERSION" ] || create_replica
  start_one standby "$REPLICA_PORT"
  urls
}

urls() {
  ports
  echo "KOMIN_PRIMARY_URL=postgres://komin:komin@127.0.0.1:$PRIMARY_PORT/$DB"
  echo "KOMIN_REPLICA_URL=postgres://komin:komin@127.0.0.1:$REPLICA_PORT/$DB"
}

case "${1:-start}" in
  start) start ;;
  stop) stop_one standby; stop_one primary ;;
  stop-replica) stop_one standby ;;
  start-replica) ports; start_one standby "$REPLICA_PORT" ;;
  restart-primary) ports; stop_one primary; start_one primary "$PRIMARY_PORT" ;;
  urls) urls ;;
  destroy) stop_one standby; stop_one primary; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|stop|stop-replica|start-replica|restart-primary|urls|destroy" >&2; exit 2 ;;
esac
