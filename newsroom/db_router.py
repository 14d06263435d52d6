"""Reads of the public pages from the read replicas (`DATABASE_REPLICA_URLS`).

A replica lags the primary by a fraction of a second, and only the primary
accepts writes. So a read goes to a replica only when nothing can tell:

- the request is an anonymous reader's GET or HEAD (no session cookie, no
  cookie of a pending comment to show them), the only requests that never
  write (the rule « no DB write on a reader's GET ») and that already accept
  a page up to a second old (the caches);
- and the read is outside a transaction on the primary (a service that
  reads what it is about to change reads it from "default").

Everything else — every write, the staff (they must see what they have just
saved), the comment form's POST, tasks and commands, which run outside any
request — uses "default". `replica_reads_middleware` picks one replica for
the whole request (so that its reads agree with each other) and keeps it in
a context variable, which holds for this request's thread only.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

from comments.context import PENDING_COOKIE

_replica = ContextVar("newsroom_replica", default=None)


def reads_from_replica_allowed(request):
    """True for a request whose reads may come from a replica: the requests
    the page cache would serve (no staff session, no pending comment of the
    reader's to show, which a lagging replica might not have yet)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PENDING_COOKIE not in request.COOKIES
    )


def replica_reads_middleware(get_response):
    def middleware(request):
        replicas = settings.DATABASE_REPLICAS
        chosen = random.choice(replicas) if replicas and reads_from_replica_allowed(request) else None  # noqa: S311
        token = _replica.set(chosen)
        try:
            return get_response(request)
        finally:
            _replica.reset(token)

    return middleware


class ReplicaRouter:
    """Reads of anonymous GETs outside a transaction: the request's replica;
    all the rest: "default"."""

    def db_for_read(self, model, **hints):
        replica = _replica.get()
        if replica is None or connections["default"].in_atomic_block:
            return "default"
        return replica

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas follow the primary's schema
