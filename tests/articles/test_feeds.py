from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import ArticleStatus
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("url", ["/rss/", "/atom/"])
def test_site_feed_holds_only_published_articles(client, settings, url):
    settings.SITE_URL = "https://news.example.org"
    make_article(title="Publié", slug="publie", authors=[make_author(name="Claire Martin")])
    make_article(title="Brouillon", status=ArticleStatus.DRAFT)
    make_article(title="Programmé", published_at=timezone.now() + timedelta(hours=2))

    response, feed = parse(client, url)

    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Publié"]
    assert feed.entries[0].link == "https://news.example.org/articles/publie/"
    assert feed.entries[0].author == "Claire Martin"
    assert "public" in response["Cache-Control"]


def test_rss_feed_lists_newest_first_with_standfirst(client):
    make_article(title="Ancien", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Récent", standfirst="Le chapô récent.")

    _, feed = parse(client, "/rss/")

    assert [entry.title for entry in feed.entries] == ["Récent", "Ancien"]
    assert feed.entries[0].summary == "Le chapô récent."
    assert feed.feed.language == "fr"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_holds_only_that_section(client, kind):
    section = make_section(name="Économie", slug="economie")
    make_article(title="Dans la rubrique", section=section)
    make_article(title="Ailleurs")

    _, feed = parse(client, f"/rubrique/economie/{kind}/")

    assert [entry.title for entry in feed.entries] == ["Dans la rubrique"]
    assert "Économie" in feed.feed.title


def test_unknown_section_feed_is_a_404(client):
    assert client.get("/rubrique/inconnue/rss/").status_code == 404
