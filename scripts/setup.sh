#!/usr/bin/env bash
# Komin set-up: installs what is missing and finds or makes a PostGIS database.
# Idempotent and quiet when there is nothing to do. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1
mkdir -p .local

say() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages ---------------------------------------------------------
PKGS="postgresql postgresql-15-postgis-3 postgresql-15-postgis-3-scripts gdal-bin libgdal-dev libgeos-c1v5 libproj25 binutils python3-venv gettext redis-server"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# The tests run the rate-limit store on Redis too (127.0.0.1:6379), and Komin behind
# PgBouncer in transaction mode (tests/scale, a private pgbouncer on a free port).
[ "$WANT_TEST" = 1 ] && PKGS="$PKGS chromium redis-server pgbouncer"
# The deploy/ nginx configuration is tested in front of gunicorn (tests/operations/).
[ "$WANT_TEST" = 1 ] && PKGS="$PKGS nginx"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing Debian packages:$missing"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "$WANT_TEST" = 1 ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  say "starting Redis on 127.0.0.1:6379"
  as_root service redis-server start >/dev/null 2>&1 ||
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes >/dev/null
fi

# --- Python virtualenv ---------------------------------------------------------
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
  # requirements.txt is a lock (`make lock`): every package pinned with its hashes, pip too.
  plain=$(grep -E '^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^]]*\])? *== *[^ \\]+ *$' requirements.txt || true)
  if [ -n "$plain" ]; then
    say "requirements.txt has pins without hashes: $(echo $plain)"
    say "run \`make lock\`: it moves them into requirements.in and compiles the lock with hashes"
    exit 1
  fi
  say "installing Python requirements (hashes required)"
  # (this machine's pip config names local mirrors that may be absent: hide that noise)
  .venv/bin/pip install -q --require-hashes -r requirements.txt 2>&1 | { grep -v "^WARNING: Location" || true; }
  touch .venv/.installed
fi

# --- npm packages (Leaflet and friends, served by Django: no CDN) -------------
if [ ! -f frontend/node_modules/.installed ] || [ frontend/package-lock.json -nt frontend/node_modules/.installed ]; then
  say "installing npm packages"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch frontend/node_modules/.installed
fi

# --- Translations: .po files are in git, the compiled .mo files are built here ---
for po in locale/*/LC_MESSAGES/*.po; do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    msgfmt --check-format -o "$mo" "$po"
  fi
done

# --- PostGIS database -------------------------------------------------------------
scripts/database.sh
