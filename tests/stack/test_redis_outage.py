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

from articles import reads
from articles.models import ArticleDailyView
from tests.conftest import make_article

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


def test_pages_answer_200_and_the_failure_is_logged(client, redis_down, caplog):
    article = make_article(title="Sans Redis")

    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        home = client.get("/")
        page = client.get(article.get_absolute_url())

    assert (home.status_code, page.status_code) == (200, 200)
    assert "Sans Redis" in page.text
    assert {record.getMessage() for record in caplog.records} == {"Exception ignored"}


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
