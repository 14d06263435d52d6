"""« Sujets les + lus » cannot be rigged, and reads reach the database in
batches (articles/reads.py)."""

import threading
import time

import pytest
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import reads
from articles.models import ArticleDailyView
from articles.services import count_reader_view, record_article_view
from tests.articles.factories import make_reads
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
DEFERRING = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def beacon(client, article, *, address="198.51.100.7", user_agent=BROWSER):
    return client.post(
        f"/articles/{article.pk}/vue/",
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=user_agent,
        HTTP_SEC_FETCH_SITE="same-origin",
    )


def reads_of(article):
    return sum(ArticleDailyView.objects.filter(article=article).values_list("count", flat=True))


def test_two_thousand_beacons_from_one_reader_count_one_read(client):
    article = make_article()
    first_minute = int(time.time() // 60)

    statuses = [beacon(client, article).status_code for _ in range(2000)]

    minutes = int(time.time() // 60) - first_minute + 1  # the sending may straddle a minute
    assert reads_of(article) == 1
    assert statuses[:30] == [204] * 30
    assert statuses.count(204) <= 30 * minutes  # READS_MAX_PER_ADDRESS_PER_MINUTE
    assert statuses.count(429) >= 2000 - 30 * minutes


def test_fifty_readers_count_fifty_reads(client):
    article = make_article()

    for n in range(50):
        beacon(client, article, address=f"203.0.113.{n + 1}")

    assert reads_of(article) == 50


def test_readers_sharing_an_address_count_apart_up_to_the_ceiling(client):
    article = make_article()

    beacon(client, article, user_agent=BROWSER)
    beacon(client, article, user_agent=PHONE)

    assert reads_of(article) == 2


def test_a_reader_counts_again_once_the_window_has_passed(client, settings):
    settings.READS_CLIENT_WINDOW_SECONDS = 1
    article = make_article()
    beacon(client, article)

    time.sleep(1.1)
    beacon(client, article)

    assert reads_of(article) == 2


def test_a_reader_counts_once_for_each_article(client):
    first, second = make_article(), make_article()

    beacon(client, first)
    beacon(client, second)

    assert (reads_of(first), reads_of(second)) == (1, 1)


def test_one_ipv6_network_shares_one_ceiling(client, settings):
    settings.READS_MAX_PER_ADDRESS_PER_MINUTE = 2
    articles = [make_article() for _ in range(3)]

    statuses = [
        beacon(client, article, address=f"2001:db8:5:7::{n + 1}").status_code
        for n, article in enumerate(articles)
    ]

    assert statuses == [204, 204, 429]
    assert reads_of(articles[2]) == 0


def test_the_readers_address_and_browser_are_never_stored_in_clear(client):
    article = make_article()

    beacon(client, article, address="198.51.100.77", user_agent=BROWSER)

    stored = " ".join(str(key) for key in cache._cache)
    assert "198.51.100.77" not in stored
    assert "Chrome" not in stored
    assert len(cache._cache) == 2  # this minute's beacons from the address; the client's read


def test_robots_neither_count_nor_use_the_ceiling(client):
    article = make_article()

    beacon(client, article, user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")

    assert reads_of(article) == 0
    assert len(cache._cache) == 0


# --- With Redis: counts in the cache, one write per article per flush ---------------


@pytest.fixture
def deferred_tasks(settings):
    """A task backend that defers (as the database one does in production)
    and keeps what is enqueued instead of running it."""
    from django.tasks import task_backends

    settings.TASKS = DEFERRING
    backend = task_backends["default"]
    backend.clear()
    return backend


def test_with_redis_a_read_writes_nothing_to_the_database(
    redis_cache, deferred_tasks, django_assert_num_queries
):
    article = make_article()

    with django_assert_num_queries(0):
        for _ in range(2000):
            record_article_view(article_id=article.pk)

    assert reads_of(article) == 0
    assert (
        redis_cache.hget(reads._key("pending"), f"{timezone.localdate().isoformat()}:{article.pk}") == b"2000"
    )


def test_the_first_read_of_a_window_enqueues_one_flush_a_minute_later(redis_cache, deferred_tasks):
    article = make_article()
    before = timezone.now()

    for _ in range(100):
        record_article_view(article_id=article.pk)

    [flush] = deferred_tasks.results
    assert flush.task.name == "flush_read_counts"
    assert 59 <= (flush.task.run_after - before).total_seconds() <= 61


def test_a_flush_writes_once_per_article_whatever_the_number_of_reads(redis_cache, deferred_tasks):
    busy, quiet = make_article(), make_article()
    make_reads(busy, 5, timezone.localdate())
    for _ in range(2000):
        record_article_view(article_id=busy.pk)
    record_article_view(article_id=quiet.pk)

    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        written = reads.flush_pending_reads()

    writes = [query["sql"] for query in queries if query["sql"].startswith(("UPDATE", "INSERT"))]
    assert written == 2
    assert len(writes) == 3  # busy: one UPDATE; quiet: its day's row, an UPDATE finding none then an INSERT
    assert (reads_of(busy), reads_of(quiet)) == (2005, 1)
    assert reads.flush_pending_reads() == 0  # nothing left


def test_reads_of_an_unpublished_article_are_dropped_at_the_flush(redis_cache, deferred_tasks):
    from articles.models import ArticleStatus

    draft = make_article(status=ArticleStatus.DRAFT)
    record_article_view(article_id=draft.pk)

    assert reads.flush_pending_reads() == 0
    assert reads_of(draft) == 0


def test_a_batch_left_by_a_failed_flush_is_written_by_the_next(redis_cache, deferred_tasks):
    article = make_article()
    redis_cache.hset(reads._key("batch:crashed"), f"{timezone.localdate().isoformat()}:{article.pk}", 7)

    reads.flush_pending_reads()

    assert reads_of(article) == 7
    assert not redis_cache.exists(reads._key("batch:crashed"))


def test_without_a_deferring_task_backend_the_window_flushes_at_once(redis_cache):
    """Development's immediate backend: the first read of a window writes
    what was pending, itself included; later reads wait for the next window."""
    article = make_article()

    record_article_view(article_id=article.pk)
    record_article_view(article_id=article.pk)

    assert reads_of(article) == 1
    reads.flush_pending_reads()
    assert reads_of(article) == 2


def test_concurrent_beacons_are_counted_exactly(redis_cache, deferred_tasks):
    """Fifty readers at once, each sending forty beacons at once: fifty reads."""
    article = make_article()
    start = threading.Barrier(50)
    outcomes = []

    def reader(n):
        start.wait()
        for _ in range(40):
            outcomes.append(
                count_reader_view(
                    article_id=article.pk, address=f"203.0.113.{n + 1}", user_agent=BROWSER
                ).value
            )

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    reads.flush_pending_reads()
    assert outcomes.count("counted") == 50
    assert outcomes.count("already counted") == 50 * 29
    assert outcomes.count("too many beacons from this address") == 50 * 10
    assert reads_of(article) == 50
