#!/bin/sh
# Usage: open311/clients/check.sh ENDPOINT API_KEY   (see README.md here)
set -eu
endpoint=${1:?endpoint, e.g. http://127.0.0.1:8000/open311/v2}
key=${2:?api key}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$root/.local/open311-clients"
mkdir -p "$work"
# Third-party code is checked by hash before it runs: the open311 sdist by its sha256 on
# PyPI, georeport and its dependencies by their lock (georeport-lock.txt).
if [ ! -d "$work/open311-1.1" ]; then
    (cd "$work" && python3 -m pip download -q --no-deps --no-binary :all: open311==1.1 -d . \
        && echo "91ba5a4dba7bbcbd672919991ea9c69e1e5aeb7f4e44c420e20ad0cb8cc83e8a  open311-1.1.tar.gz" \
            | sha256sum -c --quiet - \
        && tar xzf open311-1.1.tar.gz)
fi
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q --require-hashes -r "$here/georeport-lock.txt" \
        || { rm -rf "$work/venv"; exit 1; }
fi
py2=${PYTHON2:-$(ls /root/.pyenv/versions/2.7*/bin/python2.7 2>/dev/null | head -1)}
py2=${py2:-python2.7}
ids="$work/posted.txt"
: > "$ids"
PYTHONPATH="$work/open311-1.1" "$py2" "$here/check_open311_py2.py" "$endpoint" "$key" "$ids"
"$work/venv/bin/python" "$here/check_georeport.py" "$endpoint" "$ids"
