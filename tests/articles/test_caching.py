from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils.http import http_date

from tests.articles.factories import make_tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_form_clock(monkeypatch):
    """The comment form signs the second it was rendered; two readers served
    in the same second get the same bytes. Freeze that clock (the standard
    library's, not our code) so the comparison does not depend on timing."""
    monkeypatch.setattr("comments.forms.time", SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.fixture
def pages(frozen_form_clock):
    tag = make_tag()
    article = make_article(tags=[tag])
    return {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "article": article.get_absolute_url(),
        "author": article.authors.get().get_absolute_url(),
        "search": "/recherche/?q=article",
        "rss": "/rss/",
        "sitemap": "/sitemap.xml",
    }


PAGES = ["home", "section", "tag", "article", "author", "search", "rss", "sitemap"]


@pytest.mark.parametrize("name", PAGES)
def test_two_anonymous_readers_get_the_same_bytes_and_no_cookie(pages, name):
    first, second = Client().get(pages[name]), Client().get(pages[name])

    assert first.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert not first.cookies
    assert "Set-Cookie" not in first.headers
    assert "csrfmiddlewaretoken" not in first.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_pages_are_publicly_cacheable(client, pages, settings, name):
    settings.PAGE_CACHE_MAX_AGE = 60
    settings.PAGE_CACHE_SHARED_MAX_AGE = 300

    response = client.get(pages[name])

    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=60",
        "s-maxage=300",
        "must-revalidate",
    }


@pytest.mark.parametrize("name", PAGES)
def test_a_shared_cache_keeps_apart_readers_who_hold_a_cookie(client, pages, name):
    """Nobody gets a cookie from these pages, so all readers share one copy;
    the one who holds the cookie of their pending comment gets their own."""
    response = client.get(pages[name])

    assert response["Vary"] == "Cookie"


@pytest.mark.parametrize("name", PAGES)
def test_a_revalidation_with_the_etag_gets_a_304(client, pages, name):
    etag = client.get(pages[name])["ETag"]

    response = client.get(pages[name], HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_article_last_modified_follows_updates_and_comments(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response["Last-Modified"] == http_date(article.updated_at.timestamp())

    newer = article.updated_at.replace(microsecond=0) + timedelta(minutes=5)
    type(article).objects.filter(pk=article.pk).update(comments_changed_at=newer)

    assert client.get(article.get_absolute_url())["Last-Modified"] == http_date(newer.timestamp())


def test_article_if_modified_since_gets_a_304(client):
    article = make_article()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]

    response = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


@pytest.mark.parametrize("name", ["home", "section", "tag", "article", "author", "search"])
def test_staff_pages_are_private(client, editor, pages, name):
    client.force_login(editor)

    response = client.get(pages[name])

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
