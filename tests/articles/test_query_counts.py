"""Every public page runs a fixed number of queries, whatever the amount of
content. The sidebar tags of the comments and events apps are stubs here;
their own queries are added when they are merged."""

import pytest
from django.utils import timezone

from tests.articles.factories import make_reads, make_tag
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    def build(count):
        section, author, tag = make_section(), make_author(), make_tag()
        articles = [make_article(section=section, authors=[author], tags=[tag]) for _ in range(count)]
        for article in articles:
            make_reads(article, 3, timezone.localdate())
        return {"section": section, "author": author, "tag": tag, "article": articles[0]}

    return build


def urls(objects):
    return {
        "home": "/",
        "section": objects["section"].get_absolute_url(),
        "tag": objects["tag"].get_absolute_url(),
        "author": objects["author"].get_absolute_url(),
        "article": objects["article"].get_absolute_url(),
        "search": "/recherche/?q=article",
        "rss": "/rss/",
        "atom": "/atom/",
        "section_rss": f"{objects['section'].get_absolute_url()}rss/",
        "sitemap": "/sitemap.xml",
    }


EXPECTED = {
    # nav sections, articles + authors prefetch, most read, agenda (events), most commented (comments)
    "home": 6,
    # section, count, articles + authors prefetch, nav
    "section": 5,
    "tag": 5,
    "author": 5,
    # article + authors + tags, nav, most read, event box, related (sharing a
    # tag, same section), most commented (no comment: the comments block needs
    # no query)
    "article": 9,
    # count, articles + authors prefetch, nav
    "search": 4,
    # articles + authors prefetch
    "rss": 2,
    "atom": 2,
    # section, articles + authors prefetch
    "section_rss": 3,
    # the index: the pages of articles, sections, tags, authors, events and trust pages
    "sitemap": 6,
}


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_public_page_query_count_is_constant(client, django_assert_num_queries, content, count, page):
    url = urls(content(count))[page]

    with django_assert_num_queries(EXPECTED[page]):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("corrections", [1, 5])
def test_corrections_add_one_query_to_the_article_page_whatever_their_number(
    client, django_assert_num_queries, chief, corrections
):
    from articles.services import add_correction

    article = make_article()
    for n in range(corrections):
        add_correction(article=article, note=f"Rectificatif {n}.", by=chief)

    with django_assert_num_queries(EXPECTED["article"] + 1):  # the corrections, shown and in the JSON-LD
        response = client.get(article.get_absolute_url())

    assert response.content.decode().count("Rectificatif du ") == corrections
