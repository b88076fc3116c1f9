"""Which read replicas may answer now: up, and not lagging more than a setting.

Each replica is checked at most every KOMIN_REPLICA_CHECK_SECONDS per process: one query
on the replica (is it in recovery, how old its last replayed transaction is when it has
not replayed all it received) and one on the primary (its WAL position, to measure the
bytes the replica has not replayed: pg_wal_lsn_diff). A replica that cannot be reached,
lags more than KOMIN_REPLICA_MAX_LAG_SECONDS or KOMIN_REPLICA_MAX_LAG_BYTES, or is not a
replica at all, is skipped until the next check."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)
_checked: dict[str, tuple[float, bool]] = {}

REPLICA_STATE = """
SELECT pg_is_in_recovery(),
       pg_last_wal_replay_lsn()::text,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp()
                                  - pg_last_xact_replay_timestamp()), 0) END
"""


def aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def forget() -> None:
    """Every replica is checked again at its next use (tests; an operator's signal)."""
    _checked.clear()


def mark_down(alias: str) -> None:
    _checked[alias] = (time.monotonic(), False)
    try:
        connections[alias].close()
    except DatabaseError:
        pass


def lag(alias: str) -> tuple[float, int]:
    """Seconds and bytes the replica is behind the primary; raises if it is unreachable
    or not a replica."""
    with connections[alias].cursor() as cursor:
        cursor.execute(REPLICA_STATE)
        in_recovery, replayed, seconds = cursor.fetchone()
    if not in_recovery:
        raise DatabaseError(f"{alias} is not a replica (not in recovery)")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [replayed])
        behind = max(0, int(cursor.fetchone()[0]))
    # Nothing left to replay: not behind, however old its last transaction (idle primary).
    return (float(seconds) if behind else 0.0), behind


def _check(alias: str) -> bool:
    try:
        seconds, behind = lag(alias)
    except DatabaseError as exc:
        log.warning("replica %s skipped: %s", alias, exc)
        mark_down(alias)
        return False
    max_seconds = float(getattr(settings, "KOMIN_REPLICA_MAX_LAG_SECONDS", 10))
    max_bytes = int(getattr(settings, "KOMIN_REPLICA_MAX_LAG_BYTES", 16 * 1024 * 1024))
    ok = seconds <= max_seconds and behind <= max_bytes
    if not ok:
        log.warning("replica %s skipped: %.1f s and %d bytes behind", alias, seconds, behind)
    return ok


def healthy(alias: str) -> bool:
    every = float(getattr(settings, "KOMIN_REPLICA_CHECK_SECONDS", 5))
    now = time.monotonic()
    checked = _checked.get(alias)
    if checked is None or now - checked[0] >= every:
        _checked[alias] = (now, _check(alias))
    return _checked[alias][1]


def pick() -> str | None:
    """A healthy replica (spread over the process's requests), or None: the primary."""
    names = aliases()
    if not names:
        return None
    start = int(time.monotonic() * 1000) % len(names)
    for alias in names[start:] + names[:start]:
        if healthy(alias):
            return alias
    return None
