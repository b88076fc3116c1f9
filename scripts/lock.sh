#!/usr/bin/env bash
# `make lock`: compiles requirements.in (what Komin depends on, pinned with ==) into
# requirements.txt: every transitive dependency, pinned, with the sha256 of each of its
# files, which scripts/setup.sh installs with --require-hashes. One lock for the service and
# its dev/test tools (pytest, ruff, playwright, bandit, pip-audit, uv).
# A dependency added by hand as a plain `name==version` line in requirements.txt (no
# hashes) is first moved into requirements.in, replacing an older pin of the same name.
set -euo pipefail
cd "$(dirname "$0")/.."
# Resolved for Debian 12's Python (3.11.2), the oldest we run on, whatever runs the lock:
# a release that needs a later 3.11 must not enter the lock.
PYTHON_VERSION=3.11.2
UV=.venv/bin/uv
if [ ! -x "$UV" ]; then
  echo "[lock] $UV is missing: run \`make setup\` first" >&2
  exit 1
fi
.venv/bin/python scripts/fold_pins.py requirements.txt requirements.in
compile() {  # $1 = input, $2 = lock
  "$UV" pip compile "$1" --quiet --generate-hashes --python-version "$PYTHON_VERSION" \
    --custom-compile-command "make lock" --output-file "$2"
}
compile requirements.in requirements.txt
# Tools installed into virtualenvs of their own (Open311 client checks, benchmark servers).
compile open311/clients/georeport.in open311/clients/georeport-lock.txt
for input in bench/locks/*.in; do compile "$input" "${input%.in}.txt"; done
echo "[lock] requirements.txt: $(grep -c '^[A-Za-z0-9].*==' requirements.txt) pinned packages, with hashes"
