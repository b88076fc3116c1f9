# Komin — the two commands: `make run` and `make test`. See README.md.
PY := .venv/bin/python
export KOMIN_DEV ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest processes for `make test` (pytest-xdist); 1 runs the tests in this process.
TEST_PROCESSES ?= 2

.PHONY: run test setup setup-test migrate fetch-data demo lint check security audit lock pytest bench-lookup bench-tiles bench-analytics bench-frontend bench-lighthouse bench-worst bench-open311 bench-hot bench-load bench-submit bench-duplicates bench-pileup bench clean-local backup restore bench-nginx

run: setup migrate demo
	@$(PY) manage.py demo_accounts
	@$(PY) manage.py collectstatic --no-input -v 0
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: setup-test migrate fetch-data lint check security pytest

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

migrate:
	@$(PY) manage.py migrate --no-input -v 0

# Catalogued data sets (data/*/sources.toml) into KOMIN_DATA_DIR: mirror first, then the
# publisher; every checksum verified. `load_demo` fetches what it loads by itself.
fetch-data:
	@$(PY) manage.py fetch_data

demo:
	@$(PY) manage.py load_demo

lint:
	@.venv/bin/ruff check --quiet .
	@.venv/bin/ruff format --check --quiet .

# bandit over the deployed code (exclusions and reasons in pyproject.toml [tool.bandit]).
security:
	@scripts/security.sh

# Known vulnerabilities of the Python lock and the npm packages; says NOT AUDITED (and
# exits 2) when the vulnerability data cannot be reached. Not part of `make test`.
audit:
	@$(PY) scripts/audit.py

# requirements.in -> requirements.txt with hashes (see scripts/lock.sh).
lock:
	@scripts/lock.sh

check:
	@$(PY) manage.py makemigrations --check --dry-run -v 0
	@$(PY) manage.py check --fail-level WARNING >/dev/null

pytest:
	@.venv/bin/pytest -q -n $(TEST_PROCESSES) --dist loadscope

# Wall time and worker peak memory of the worst anonymous request of each kind.
bench-worst: setup migrate demo
	@$(PY) bench/worst_case.py

bench-lookup: setup migrate demo
	@$(PY) bench/lookup.py

# Tiles and GeoJSON vs the SQL floor, tipg and pygeoapi, on a separate bench database.
bench-tiles: setup migrate
	@$(PY) bench/tiles_geojson.py $(BENCH_ARGS)

# Milliseconds and queries of the hot routes (empty tile, 1,000-point tile, GeoJSON page,
# report submission) in process, against the SQL floor; the tile fast path on and off.
bench-hot: setup migrate demo
	@$(PY) bench/hot_routes.py $(BENCH_ARGS)

# Mixed traffic under Locust (headless, bounded): error rate and p95 per route.
bench-load: setup migrate demo
	@$(PY) bench/load.py $(BENCH_ARGS)

# Report submissions: reports/s and rows created against 201 answers; --fault
# primary-restart|replica-stop on the private pair of scripts/replica.sh.
bench-submit: setup migrate
	@$(PY) bench/submissions.py $(BENCH_ARGS)

# The default Open311 list of 1,000 requests, area boundaries loaded or not.
bench-open311: setup migrate demo
	@$(PY) bench/open311_list.py

# Kilobytes each page of the web application downloads (raw and gzipped).
bench-frontend: setup migrate
	@$(PY) bench/frontend_weight.py

# Lighthouse mobile scores of the citizen pages (Lighthouse from npm in bench/lighthouse/).
bench-lighthouse: setup migrate
	@cd bench/lighthouse && npm ci --silent --no-audit --no-fund
	@$(PY) bench/lighthouse.py $(BENCH_ARGS)

# The database (pg_dump custom format) and MEDIA_ROOT into one dated folder under
# BACKUP_DIR; `make restore FROM=<that folder>` into the configured database, which must be
# empty (or DATABASE_URL=... for another one). See docs/operations.md.
BACKUP_DIR ?= .local/backups
backup:
	@$(PY) manage.py backup --dir $(BACKUP_DIR)

restore:
	@[ -n "$(FROM)" ] || { echo "usage: make restore FROM=<backup folder>" >&2; exit 2; }
	@$(PY) manage.py restore $(FROM)

clean-local:
	@[ ! -f .local/pg/data/PG_VERSION ] || runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D $(CURDIR)/.local/pg/data stop -m fast 2>/dev/null || \
	  /usr/lib/postgresql/*/bin/pg_ctl -D $(CURDIR)/.local/pg/data stop -m fast || true
	rm -rf .local

# Tile throughput through nginx (deploy/nginx/): two gunicorn servers behind it vs one.
bench-nginx: setup migrate demo
	@$(PY) bench/nginx_tiles.py $(BENCH_ARGS)

bench-analytics: setup migrate
	@$(PY) bench/analytics.py $(BENCH_ARGS)

# The duplicate check of a submission on the 1M-report database of bench-analytics.
bench-duplicates: setup migrate
	@$(PY) bench/duplicates.py $(BENCH_ARGS)

# The duplicate check where open reports pile up on one spot, now and as it was before.
bench-pileup: setup migrate
	@$(PY) bench/duplicate_pileup.py $(BENCH_ARGS)
