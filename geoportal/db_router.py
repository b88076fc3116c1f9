"""Reads that may be slightly stale go to a read replica, everything else to the primary.

A request may read from a replica when ReplicaRoutingMiddleware says so: GET or HEAD of
a route in KOMIN_REPLICA_PATHS (tiles, public GeoJSON, OGC API, analytics, public
pages) by a client that has not written in the last KOMIN_READ_YOUR_WRITES_SECONDS.
Sessions, accounts, tokens and the cache table are always read from the primary. Writes
and migrations: the primary ("default") only."""

from contextvars import ContextVar

from django.db import connections

from geoportal import replicas

# False: the primary; True: any healthy replica; an alias: the replica this request uses
# (chosen at its first read, so that one request reads one replica).
replica_allowed: ContextVar[bool | str] = ContextVar("komin_replica_allowed", default=False)
# Read where a login or a token must be current, whatever the route.
PRIMARY_APPS = {"django_cache", "sessions", "auth", "authtoken", "contenttypes"}


def replica_alias() -> str | None:
    """The replica this request reads from, or None (the primary)."""
    allowed = replica_allowed.get()
    if allowed is True:
        # Health is judged once, when the request first reads: a request reads one
        # server, never half from a replica and half from the primary. A replica that
        # fails meanwhile makes the view run again on the primary (replica_middleware).
        allowed = replicas.pick() or False
        replica_allowed.set(allowed)
    return allowed or None


def reading():
    """The connection for raw SQL reads (tiles, GeoJSON pages, analytics): a replica's
    when this request may use one, else the primary's."""
    return connections[replica_alias() or "default"]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_APPS:
            return None
        return replica_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # a replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
