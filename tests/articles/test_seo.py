import json
import re
from datetime import UTC, datetime

import pytest

from tests.articles.factories import make_image_file, make_tag
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(match.group(1))


def test_article_json_ld_holds_the_article_facts(client, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_NAME = "La Gazette"
    author = make_author(name="Claire Martin", slug="claire-martin")
    article = make_article(
        title="Quelle place pour le numérique ?",
        slug="numerique",
        standfirst="Le numérique est partout.",
        section=make_section(name="Innovation"),
        authors=[author],
        tags=[make_tag(name="Smart city")],
        published_at=datetime(2023, 7, 10, 8, 0, tzinfo=UTC),
        image=make_image_file("hero.jpg"),
        image_credit="Schneider Electric",
    )

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Quelle place pour le numérique ?"
    assert data["description"] == "Le numérique est partout."
    assert data["datePublished"] == "2023-07-10T10:00:00+02:00"
    assert data["dateModified"] == "2023-07-10T10:00:00+02:00"  # no significant update, no correction
    assert data["author"] == [
        {"@type": "Person", "name": "Claire Martin", "url": "https://news.example.org/auteur/claire-martin/"}
    ]
    assert data["mainEntityOfPage"] == {
        "@type": "WebPage",
        "@id": "https://news.example.org/articles/numerique/",
    }
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "La Gazette",
        "url": "https://news.example.org/",
    }
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": f"https://news.example.org{article.image.url}",
            "width": 1200,
            "height": 800,
            "creditText": "Schneider Electric",
        }
    ]
    assert data["commentCount"] == 0
    assert data["discussionUrl"] == "https://news.example.org/articles/numerique/#commentaires"
    assert data["articleSection"] == "Innovation"
    assert data["keywords"] == ["Smart city"]


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    title = 'Fin</script><script>alert("x")</script> & <!--'
    article = make_article(title=title)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "</script><script>alert" not in html
    assert json_ld(html)["headline"] == title


def test_article_has_canonical_opengraph_and_twitter_tags(client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(title="Le port", slug="le-port", standfirst="Un chapô.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<link rel="canonical" href="https://news.example.org/articles/le-port/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Le port">' in html
    assert '<meta property="og:description" content="Un chapô.">' in html
    assert '<meta property="og:url" content="https://news.example.org/articles/le-port/">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_seo_description_replaces_the_standfirst_in_meta_tags(client):
    article = make_article(standfirst="Chapô.", seo_description="Résumé pour les moteurs.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta name="description" content="Résumé pour les moteurs.">' in html


def test_every_page_links_to_the_feeds(client):
    html = client.get("/").content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="Newsroom — flux RSS" href="/rss/">' in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Newsroom — flux Atom" href="/atom/">'
        in html
    )
