"""How readers' reads reach `ArticleDailyView` (« Sujets les + lus »).

The beacon (`articles.views.record_view`) calls
`articles.services.count_reader_view`, which applies the two rules below,
then `record_article_view`, which counts.

Rules against rigging, kept in the shared cache so that they hold across
workers and under concurrency (`add` and `incr` are atomic):

- one client — a keyed hash (HMAC with SECRET_KEY) of its address and
  User-Agent, never the address itself — counts at most once per article per
  `READS_CLIENT_WINDOW_SECONDS` (30 minutes);
- one address (for IPv6, its /64) sends at most
  `READS_MAX_PER_ADDRESS_PER_MINUTE` beacons a minute; the others are
  answered 429 and not counted.

Counting, with Redis (`REDIS_URL`): a read is one `HINCRBY` on a hash of
pending counts, never a database write. The first read of a window enqueues
`articles.tasks.flush_read_counts` to run `READS_FLUSH_SECONDS` later
(`django.tasks`, `run_after`); a backend that cannot defer (the immediate one
in development) flushes right then, once per window. The flush renames the
hash (atomic: reads made meanwhile start a new one), then writes one
`UPDATE … SET count = count + n` per article and day. A failed flush leaves
its batch in Redis for the next one. Without Redis (the local-memory cache is
per process), each read is the direct, atomic UPDATE it always was.
"""

import enum
import ipaddress
import logging
import secrets
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from articles.models import Article, ArticleDailyView

logger = logging.getLogger(__name__)


class ReadOutcome(enum.Enum):
    COUNTED = "counted"
    ALREADY_COUNTED = "already counted"
    TOO_MANY = "too many beacons from this address"
    NOT_COUNTED = "not counted"


# --- The rules -----------------------------------------------------------------------


def _digest(purpose, value):
    return salted_hmac(f"newsroom.reads.{purpose}", value, algorithm="sha256").hexdigest()[:32]


def address_bucket(address):
    """The address a ceiling applies to: IPv4 as is, IPv6 by /64 (one
    subscriber's whole network); anything unparseable shares one bucket."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def within_address_ceiling(address, *, now=None):
    """Count one beacon from `address` this minute; False beyond the ceiling."""
    minute = int((now or timezone.now()).timestamp() // 60)
    key = f"reads:rate:{_digest('address', address_bucket(address))}:{minute}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new minute
        return True
    return count is None or count <= settings.READS_MAX_PER_ADDRESS_PER_MINUTE  # None: cache down


def first_read_by_client(article_id, address, user_agent):
    """True once per client and article per READS_CLIENT_WINDOW_SECONDS."""
    client = _digest("client", f"{address}\n{user_agent}")
    return bool(cache.add(f"reads:seen:{article_id}:{client}", 1, settings.READS_CLIENT_WINDOW_SECONDS))


# --- Counting ------------------------------------------------------------------------


def redis_connection():
    """The raw Redis client behind the default cache, or None without Redis."""
    from django_redis.cache import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend.client.get_client(write=True)


def _key(name):
    return f"{settings.CACHE_KEY_PREFIX}:reads:{name}"


def buffer_read(redis, article_id, day):
    """Add one read to the pending counts; open a flush window if none is."""
    redis.hincrby(_key("pending"), f"{day.isoformat()}:{article_id}", 1)
    if redis.set(_key("window"), 1, nx=True, ex=settings.READS_FLUSH_SECONDS):
        _schedule_flush()


def _schedule_flush():
    from articles.tasks import flush_read_counts

    if flush_read_counts.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=settings.READS_FLUSH_SECONDS)
        flush_read_counts.using(run_after=run_after).enqueue()
    else:
        flush_read_counts.enqueue()  # the immediate backend runs it now


def flush_pending_reads():
    """Write the pending counts to `ArticleDailyView`: one write per article
    and day, whatever the number of reads. Returns the number of rows written.
    """
    redis = redis_connection()
    if redis is None:
        return 0
    lock = _key("flush-lock")
    try:
        if not redis.set(lock, 1, nx=True, ex=300):
            return 0  # another flush is running
    except RedisError:
        logger.warning("Reads not written: Redis is unavailable; they wait there for the next flush")
        return 0
    try:
        batches = [name.decode() for name in redis.scan_iter(match=f"{_key('batch:')}*")]  # left by a failure
        batch = f"{_key('batch:')}{secrets.token_hex(8)}"
        if redis.exists(_key("pending")) and redis.renamenx(_key("pending"), batch):
            batches.append(batch)
        counts = Counter()
        for name in batches:
            for field, value in redis.hgetall(name).items():
                day, article_id = field.decode().split(":")
                counts[(int(article_id), date.fromisoformat(day))] += int(value)
        written = write_counts(counts)
        if batches:
            redis.delete(*batches)
        return written
    finally:
        redis.delete(lock)


@transaction.atomic
def write_counts(counts):
    """Add `counts` ({(article id, day): reads}) to the daily rows of the
    articles still published; one UPDATE per row, an INSERT for a day's first."""
    if not counts:
        return 0
    published = set(
        Article.objects.published().filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True)
    )
    written = 0
    for (article_id, day), reads in sorted(counts.items()):
        if article_id in published:
            add_to_daily_row(article_id, day, reads)
            written += 1
    return written


def add_to_daily_row(article_id, day, reads):
    """`UPDATE … SET count = count + reads` on the day's row (atomic in the
    database), creating it on the day's first reads; a concurrent creation
    (IntegrityError) falls back to the increment."""
    rows = ArticleDailyView.objects.filter(article_id=article_id, day=day)
    if rows.update(count=F("count") + reads):
        return
    try:
        with transaction.atomic():
            ArticleDailyView.objects.create(article_id=article_id, day=day, count=reads)
    except IntegrityError:
        rows.update(count=F("count") + reads)
