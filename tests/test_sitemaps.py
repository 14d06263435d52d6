"""The sitemap index, its pages (articles, sections, tags, authors, events)
and the Google News sitemap."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleStatus
from articles.sitemaps import ArticleSitemap
from events.models import PublicationStatus
from tests.articles.factories import make_tag
from tests.conftest import make_article, make_author, make_section
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def locations(xml):
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_sitemap_index_lists_every_section_on_the_site_url(client):
    article = make_article(tags=[make_tag()])
    make_event()

    xml = client.get("/sitemap.xml").content.decode()

    assert "<sitemapindex" in xml
    assert locations(xml) == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-rubriques.xml",
        f"{SITE}/sitemap-mots-cles.xml",
        f"{SITE}/sitemap-auteurs.xml",
        f"{SITE}/sitemap-evenements.xml",
        f"{SITE}/sitemap-pages.xml",
    ]
    assert article.slug not in xml


def test_sitemap_lists_the_trust_pages(client):
    xml = client.get("/sitemap-pages.xml").content.decode()

    assert locations(xml) == [
        f"{SITE}/accessibilite/",
        f"{SITE}/confidentialite/",
        f"{SITE}/contact/",
        f"{SITE}/mentions-legales/",
    ]


def test_sitemap_lists_published_articles_and_sections_only(client):
    section = make_section(slug="economie")
    make_article(slug="publie", section=section)
    make_article(slug="brouillon", section=section, status=ArticleStatus.DRAFT)
    make_article(slug="programme", section=section, published_at=timezone.now() + timedelta(days=1))

    articles = client.get("/sitemap-articles.xml").content.decode()
    sections = client.get("/sitemap-rubriques.xml").content.decode()

    assert locations(articles) == [f"{SITE}/articles/publie/"]
    assert f"{SITE}/rubrique/economie/" in locations(sections)


def test_sitemap_lists_tags_and_authors_that_have_articles(client):
    used, unused = make_tag(slug="hydrogene"), make_tag(slug="orphelin")
    author = make_author(slug="marie-durand")
    make_author(slug="sans-article")
    make_article(tags=[used], authors=[author])

    tags = client.get("/sitemap-mots-cles.xml").content.decode()
    authors = client.get("/sitemap-auteurs.xml").content.decode()

    assert locations(tags) == [f"{SITE}/mot-cle/hydrogene/"]
    assert unused.slug not in tags
    assert locations(authors) == [f"{SITE}/auteur/marie-durand/"]


def test_sitemap_lists_published_events_only(client):
    make_event(slug="rencontres-smart-city")
    make_event(slug="brouillon", publication_status=PublicationStatus.DRAFT)
    make_event(slug="plus-tard", published_at=timezone.now() + timedelta(days=2))

    xml = client.get("/sitemap-evenements.xml").content.decode()

    assert locations(xml) == [f"{SITE}/evenements/rencontres-smart-city/"]


def test_large_sitemaps_are_cut_into_pages_of_id_ranges_covering_every_article(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    section = make_section()
    articles = [make_article(section=section) for _ in range(5)]
    articles[2].status = ArticleStatus.DRAFT
    articles[2].save()

    index = locations(client.get("/sitemap.xml").content.decode())
    pages = [client.get("/sitemap-articles.xml", {"p": page}) for page in (1, 2, 3)]
    after_the_last = client.get("/sitemap-articles.xml", {"p": 4})

    assert [url for url in index if "articles" in url] == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
        f"{SITE}/sitemap-articles.xml?p=3",
    ]
    listed = [locations(page.content.decode()) for page in pages]
    assert listed == [
        [f"{SITE}{articles[0].get_absolute_url()}", f"{SITE}{articles[1].get_absolute_url()}"],
        [f"{SITE}{articles[3].get_absolute_url()}"],
        [f"{SITE}{articles[4].get_absolute_url()}"],
    ]
    assert after_the_last.status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_sitemap_page_query_count_is_constant(client, django_assert_num_queries, count):
    section = make_section()
    tag = make_tag()
    for _ in range(count):
        make_article(section=section, tags=[tag])
        make_event()

    # Each page: its id bounds, then its items.
    for url in ("/sitemap-articles.xml", "/sitemap-mots-cles.xml", "/sitemap-evenements.xml"):
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200


def test_google_news_sitemap_lists_the_articles_of_the_last_48_hours(client):
    make_article(
        slug="ce-matin",
        title="L'hydrogène & Fos",
        published_at=timezone.now() - timedelta(hours=3),
    )
    make_article(slug="avant-hier", published_at=timezone.now() - timedelta(hours=49))
    make_article(slug="brouillon", status=ArticleStatus.DRAFT, published_at=timezone.now())

    response = client.get("/sitemap-news.xml")
    xml = response.content.decode()

    assert response["Content-Type"] == "application/xml"
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in xml
    assert locations(xml) == [f"{SITE}/articles/ce-matin/"]
    assert "<news:name>Newsroom</news:name>" in xml
    assert "<news:language>fr</news:language>" in xml
    assert "<news:title>L&#x27;hydrogène &amp; Fos</news:title>" in xml
    assert re.search(
        r"<news:publication_date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d</news:publication_date>", xml
    )


def test_robots_txt_links_the_sitemap_index_and_the_news_sitemap(client):
    robots = client.get("/robots.txt").content.decode()

    assert f"Sitemap: {SITE}/sitemap.xml\n" in robots
    assert f"Sitemap: {SITE}/sitemap-news.xml\n" in robots
