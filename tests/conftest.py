"""Shared fixtures and small `make_*` factories for the whole suite."""

import html as html_lib
import itertools
import json
import os
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from articles.models import Article, ArticleStatus, Author, Section

_counter = itertools.count(1)


def committed():
    """Run what waits for the commit (storing an upload, then the image
    pipeline's task with the immediate backend) as a real commit would:
    tests run inside a transaction that is never committed."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploaded files go to a temporary folder; every test starts with an empty cache.

    The server-side page and fragment cache is off (PAGE_CACHE_TIMEOUT=0), as
    if every request were a first one: a test's own transaction never commits,
    so the invalidations that run after commit (newsroom/cache.py) would not
    either. `tests/newsroom/test_page_cache.py` turns it on (the `page_cache`
    fixture) and runs those invalidations as a commit does."""
    from django.core.cache import cache

    from newsroom import page_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_TIMEOUT = 0
    # A page is read back at once after each change: no worker-memory window
    # (tests/newsroom/test_page_cache.py tests the window itself).
    settings.PAGE_CACHE_LOCAL_MS = 0
    page_cache._recent.clear()
    cache.clear()
    yield
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()  # on Redis, `redis_cache` deletes its own keys (clear() would empty the database)


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture
def redis_cache(settings):
    """Django's cache on a real Redis (REDIS_TEST_URL, default db 4), under a
    key prefix of its own that is deleted afterwards. Skipped without Redis,
    except in CI (CI or E2E_REQUIRED set), where it fails."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") or os.environ.get("E2E_REQUIRED"):
            raise
        pytest.skip(f"Redis absent ({REDIS_TEST_URL}: {error}); start redis-server to run this test")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHE_KEY_PREFIX = prefix
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def record_calls(monkeypatch, target, method):
    """From now on, the first argument of every call to `target.method`
    (the keys asked of a cache, say), in order; the method still does its
    work. Undone with the test."""
    calls = []
    original = getattr(target, method)

    def recorded(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(target, method, recorded)
    return calls


def plain(content):
    """A page (a response or its HTML) with its French typography undone:
    no-break spaces read as spaces and ’ as ', so that tests quote the French
    they expect as it is typed. Typography itself is tested in
    tests/test_typography.py."""
    if hasattr(content, "content"):
        content = content.content.decode()
    return content.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")


def page_text(response):
    """The page as a reader reads it: head, scripts and tags removed, spaces
    collapsed, typography undone (see `plain`)."""
    html = plain(response)
    html = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", html, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).replace(" ,", ",").strip()


def json_ld(response):
    """The first JSON-LD document of a page."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def make_section(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Rubrique {n}")
    fields.setdefault("slug", f"rubrique-{n}")
    return Section.objects.create(**fields)


def make_author(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Auteur {n}")
    fields.setdefault("slug", f"auteur-{n}")
    return Author.objects.create(**fields)


def make_article(*, authors=None, tags=None, **fields):
    """A published article (one hour ago) unless told otherwise. A photo goes
    through the image pipeline as on a real commit (see `committed`)."""
    n = next(_counter)
    fields.setdefault("title", f"Article numéro {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("standfirst", f"Chapô de l'article {n}.")
    fields.setdefault("body", f"<p>Corps de l'article {n}.</p>")
    fields.setdefault("status", ArticleStatus.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "section" not in fields:
        fields["section"] = make_section()
    with committed():
        article = Article.objects.create(**fields)
    if "image" in fields:
        article.refresh_from_db()
    article.authors.set(authors if authors is not None else [make_author()])
    if tags:
        article.tags.set(tags)
    return article


def make_articles(count, **fields):
    section = fields.pop("section", None) or make_section()
    author = make_author()
    return [make_article(section=section, authors=[author], **fields) for _ in range(count)]


def make_staff(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, password=f"motdepasse-{username}", is_staff=True)
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


@pytest.fixture
def editor(django_user_model):
    """The editorial desk as the first version knew it: « Rédaction », which
    publishes since it is also in « Rédaction en chef »."""
    return make_staff(django_user_model, "editrice", "Rédaction", "Rédaction en chef")


@pytest.fixture
def writer(django_user_model):
    """« Rédacteur »: writes and submits for review, never publishes."""
    return make_staff(django_user_model, "redactrice", "Rédacteur")


@pytest.fixture
def chief(django_user_model):
    """« Rédaction en chef »: publishes, corrects, reads the journal."""
    return make_staff(django_user_model, "cheffe", "Rédaction en chef")


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", password="motdepasse-moderatrice", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name="Modération")[0])
    return user
