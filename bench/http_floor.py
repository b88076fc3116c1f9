"""The HTTP floor of bench/tiles_geojson.py: the least a Python server can do per tile.

A WSGI app with nothing but the tile: the path parsed by one regular expression, the same
SQL as the SQL floor (Komin's tile query, JIT off) from one psycopg2 connection per
thread, the bytes answered with their length. Served by gunicorn with the same workers,
threads and settings as Komin, it measures what gunicorn, HTTP and psycopg2 cost before
any of Komin's code runs, so that the bench can tell that cost from Komin's own.
Not a server for anything else: no headers, no checks, no errors answered.

    KOMIN_HTTP_FLOOR_URL, KOMIN_HTTP_FLOOR_SQL, KOMIN_HTTP_FLOOR_PARAMS (JSON) set by the bench
"""

import json
import os
import re
import threading

import psycopg2

URL = os.environ.get("KOMIN_HTTP_FLOOR_URL", "")
SQL = os.environ.get("KOMIN_HTTP_FLOOR_SQL", "")
PARAMS = json.loads(os.environ.get("KOMIN_HTTP_FLOOR_PARAMS", "{}"))
TILE = re.compile(r"^/tiles/(?P<z>[0-9]+)/(?P<x>[0-9]+)/(?P<y>[0-9]+)\.pbf$")
_local = threading.local()


def _cursor():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg2.connect(URL)
        conn.autocommit = True
        conn.cursor().execute("SET jit = off")
        _local.conn = conn
    return conn.cursor()


def app(environ, start_response):
    match = TILE.match(environ.get("PATH_INFO", ""))
    if match is None:  # the bench's "is it up?" request
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    params = {**PARAMS, "z": int(match["z"]), "x": int(match["x"]), "y": int(match["y"])}
    cursor = _cursor()
    cursor.execute(SQL, params)
    row = cursor.fetchone()
    body = bytes(row[0]) if row and row[0] is not None else b""
    if not body:
        start_response("204 No Content", [])
        return [b""]
    headers = [("Content-Type", "application/vnd.mapbox-vector-tile")]
    start_response("200 OK", headers + [("Content-Length", str(len(body)))])
    return [body]
