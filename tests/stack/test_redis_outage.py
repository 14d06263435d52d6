"""Redis down: every reader still gets a page, never an error (issue 13).

The cache points at a port where no Redis answers, with the options of
production (newsroom/settings.py): django-redis ignores the failure, logs a
line, and the page is rendered as if the cache were empty. The code that
talks to Redis directly (the read counter, the 404 counter) catches the
failure itself. The running stack checks the same with a real Redis stopped
and started again (tests/stack/test_stack.py).
"""

import logging

import pytest
from django.core.cache import caches

from articles import reads
from articles.models import ArticleDailyView
from newsroom.cache import SCHEDULE_LOCK, apply_due_changes
from newsroom.cache_outage import CacheOutageLines
from tests.conftest import make_article, record_calls

pytestmark = pytest.mark.django_db

NO_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": NO_REDIS,
            "KEY_PREFIX": "outage",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def test_pages_answer_200_and_the_outage_is_logged_once(client, redis_down, caplog):
    article = make_article(title="Sans Redis")
    for outage_lines in logging.getLogger("django_redis.cache").filters:
        outage_lines.reset()
    caplog.clear()

    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        home = client.get("/")
        page = client.get(article.get_absolute_url())

    assert (home.status_code, page.status_code) == (200, 200)
    assert "Sans Redis" in page.text
    assert [(record.getMessage(), record.exc_info) for record in caplog.records] == [
        (
            "Cache unavailable, pages served without it: ConnectionInterrupted: Redis ConnectionError: "
            "Error 111 connecting to "
            "127.0.0.1:1. Connection refused. (0 more failures in the last 10 s)",
            None,
        )
    ]


def test_a_page_not_found_is_still_a_404(client, redis_down):
    response = client.get("/nulle-part/")

    assert response.status_code == 404


def test_a_read_beacon_is_answered_and_not_counted(client, redis_down):
    article = make_article()

    response = client.post(f"/articles/{article.pk}/vue/", headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 204
    assert ArticleDailyView.objects.count() == 0


def test_the_flush_of_reads_gives_up_quietly(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="articles.reads"):
        written = reads.flush_pending_reads()

    assert written == 0
    assert [record.getMessage() for record in caplog.records if record.name == "articles.reads"] == [
        "Reads not written: Redis is unavailable; they wait there for the next flush"
    ]


def test_the_outage_line_counts_the_failures_it_kept_quiet():
    lines = CacheOutageLines(seconds=60)
    records = [
        logging.LogRecord("django_redis.cache", logging.ERROR, __file__, 1, "Exception ignored", (), None)
        for _ in range(4)
    ]

    passed = [lines.filter(record) for record in records[:3]]
    lines._last -= 60  # a minute later
    last = lines.filter(records[3])

    assert (passed, last) == ([True, False, False], True)
    assert records[3].getMessage() == (
        "Cache unavailable, pages served without it: Exception ignored (2 more failures in the last 60 s)"
    )


def test_a_change_does_not_wait_for_a_lock_that_redis_cannot_grant(redis_down, monkeypatch):
    """The schedule's sweep after a change takes a lock in the cache; with
    Redis down (django-redis answers None) it asks once and gives up, instead
    of asking again for two seconds."""
    attempts = record_calls(monkeypatch, caches["default"], "add")

    assert apply_due_changes(force=True) is False
    assert attempts == [SCHEDULE_LOCK]
