#!/usr/bin/env bash
# `make lock`: compiles requirements.in (what Komin depends on, pinned with ==) into
# requirements.txt: every transitive dependency, pinned, with the sha256 of each of its
# files, which scripts/setup.sh installs with --require-hashes. One lock for the service and
# its dev/test tools (pytest, ruff, playwright, bandit, pip-audit, pip-tools).
# A dependency added by hand as a plain `name==version` line in requirements.txt (no
# hashes) is first moved into requirements.in, replacing an older pin of the same name.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/pip-compile ]; then
  echo "[lock] .venv/bin/pip-compile is missing: run \`make setup\` first" >&2
  exit 1
fi
.venv/bin/python scripts/fold_pins.py requirements.txt requirements.in
# (this machine's pip config names local mirrors that may be absent: hide that noise)
.venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
  --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in \
  2>&1 | { grep -v "^WARNING: Location" || true; }
echo "[lock] requirements.txt: $(grep -c '^[A-Za-z0-9].*==' requirements.txt) pinned packages, with hashes"
