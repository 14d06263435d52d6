"""Counting the addresses readers do not find, without writing on their request.

A 404 costs one cache operation: a counter per address in a bucket of the
current minute. `flush_not_found_counts` (cron: `manage.py
flush_not_found`, and the admin list when an editor opens it) adds the
buckets of the minutes that are over to `NotFoundPath`, a few rows at a
time. A flood of 404s (a scanner, a broken link on a busy page) is thus a
flood of cache increments, never of database writes.

With Redis (django-redis) a bucket is a Redis hash and each hit one atomic
HINCRBY, exact across every worker. With another cache (local memory in
development and tests) the bucket is a dict read and written back: exact in
one process, approximate under concurrent threads, which is enough for a
list whose purpose is to show the most-hit broken links.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import is_valid_path
from django.utils import timezone

from redirects.models import MAX_PATH, NotFoundPath

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 60
BUCKET_TTL = 24 * 60 * 60  # a bucket never flushed is dropped after a day
MAX_PATHS_PER_BUCKET = 5000  # a scanner inventing addresses cannot fill the cache
FLUSHED_UPTO = "redirects:404:flushed-upto"
IGNORED_PREFIXES = ("/static/", "/media/", "/admin/", "/favicon")


def _bucket(now=None):
    return int((now if now is not None else time.time()) // BUCKET_SECONDS)


def _bucket_key(bucket):
    return f"redirects:404:{bucket}"


def _redis():
    try:
        from django_redis import get_redis_connection
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not hasattr(cache, "client") or not hasattr(cache.client, "get_client"):
        return None
    return get_redis_connection("default")


def should_count(request):
    path = request.path
    if (
        settings.APPEND_SLASH
        and not path.endswith("/")
        and is_valid_path(f"{path}/", getattr(request, "urlconf", None))
    ):
        return False  # CommonMiddleware answers it with a 301 to the address with a slash
    return (
        request.method in ("GET", "HEAD")
        and len(path) <= MAX_PATH
        and not path.startswith(IGNORED_PREFIXES)
        # Staff (a session) are not readers; asking request.user would cost a query.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def count_not_found(path, *, now=None):
    """Count one 404 at `path` in the current minute's bucket (cache only)."""
    key = _bucket_key(_bucket(now))
    redis = _redis()
    if redis is not None:
        from redis.exceptions import RedisError

        full_key = cache.make_key(key)
        try:
            if redis.hlen(full_key) >= MAX_PATHS_PER_BUCKET and not redis.hexists(full_key, path):
                return
            pipe = redis.pipeline()
            pipe.hincrby(full_key, path, 1)
            pipe.expire(full_key, BUCKET_TTL)
            pipe.execute()
        except RedisError:  # Redis down: the reader still gets the 404 page, uncounted
            logger.warning("404 at %s not counted: Redis is unavailable", path)
        return
    counts = cache.get(key) or {}
    if path not in counts and len(counts) >= MAX_PATHS_PER_BUCKET:
        return
    counts[path] = counts.get(path, 0) + 1
    cache.set(key, counts, BUCKET_TTL)


def _take_bucket(bucket):
    key = _bucket_key(bucket)
    redis = _redis()
    if redis is not None:
        full_key = cache.make_key(key)
        pipe = redis.pipeline()
        pipe.hgetall(full_key)
        pipe.delete(full_key)
        raw, _deleted = pipe.execute()
        return {path.decode(): int(count) for path, count in raw.items()}
    counts = cache.get(key) or {}
    cache.delete(key)
    return counts


def flush_not_found_counts(*, now=None) -> int:
    """Add the counts of every minute that is over to `NotFoundPath`.

    Side effects: empties those cache buckets; for the addresses counted, one
    SELECT, one bulk UPDATE and one bulk INSERT per 500 addresses. Only one
    flush runs at a time (a cache lock); returns the number of hits added.
    """
    if not cache.add("redirects:404:flush-lock", 1, 120):
        return 0
    try:
        current = _bucket(now)
        start = cache.get(FLUSHED_UPTO) or current - BUCKET_TTL // BUCKET_SECONDS
        totals = {}
        for bucket in range(max(start, current - BUCKET_TTL // BUCKET_SECONDS), current):
            for path, count in _take_bucket(bucket).items():
                totals[path] = totals.get(path, 0) + count
        cache.set(FLUSHED_UPTO, current, None)
        _store(totals)
        return sum(totals.values())
    finally:
        cache.delete("redirects:404:flush-lock")


@transaction.atomic
def _store(totals):
    now = timezone.now()
    paths = sorted(totals)
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        existing = {row.path: row for row in NotFoundPath.objects.select_for_update().filter(path__in=chunk)}
        for path, row in existing.items():
            row.hits += totals[path]
            row.last_seen_at = now
        NotFoundPath.objects.bulk_update(existing.values(), ["hits", "last_seen_at"])
        NotFoundPath.objects.bulk_create(
            [NotFoundPath(path=p, hits=totals[p], last_seen_at=now) for p in chunk if p not in existing],
            ignore_conflicts=True,
        )
