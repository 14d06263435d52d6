"""« À lire aussi » under each article."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleStatus
from tests.articles.factories import make_tag
from tests.conftest import make_article, make_section, page_text

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


def related_titles(article):
    article = Article.objects.prefetch_related("tags").get(pk=article.pk)
    return [related.title for related in Article.objects.published().related_to(article)]


def test_related_articles_share_a_tag_most_recent_first_then_the_section():
    section, other_section = make_section(), make_section()
    tag, other_tag = make_tag(), make_tag()
    article = make_article(section=section, tags=[tag], title="L'article lu")
    make_article(section=other_section, tags=[tag], title="Même mot-clé, ancien", published_at=ago(9))
    make_article(
        section=other_section, tags=[tag, other_tag], title="Même mot-clé, récent", published_at=ago(1)
    )
    make_article(section=section, title="Même rubrique", published_at=ago(2))
    make_article(section=other_section, tags=[other_tag], title="Sans rapport", published_at=ago(1))

    assert related_titles(article) == ["Même mot-clé, récent", "Même mot-clé, ancien", "Même rubrique"]


def test_related_articles_stop_at_four_and_never_show_the_article_itself():
    section, tag = make_section(), make_tag()
    article = make_article(section=section, tags=[tag])
    for day in range(6):
        make_article(section=section, tags=[tag], title=f"Voisin {day}", published_at=ago(day + 1))

    assert related_titles(article) == ["Voisin 0", "Voisin 1", "Voisin 2", "Voisin 3"]


def test_related_articles_leave_out_drafts_and_scheduled_ones():
    section = make_section()
    article = make_article(section=section)
    make_article(section=section, title="Brouillon", status=ArticleStatus.DRAFT)
    make_article(section=section, title="Programmé", published_at=timezone.now() + timedelta(hours=2))

    assert related_titles(article) == []


def test_article_page_ends_with_a_lire_aussi(client):
    section = make_section(name="Innovation")
    article = make_article(section=section, title="Quelle place pour le numérique ?")
    make_article(section=section, title="Les start-up lèvent des fonds", published_at=ago(3))

    text = page_text(client.get(article.get_absolute_url()))

    date = ago(3)
    assert f"À lire aussi Innovation · {date.day} " in text
    assert "Les start-up lèvent des fonds" in text[text.index("À lire aussi") :]


def test_article_without_neighbour_has_no_lire_aussi_block(client):
    article = make_article()

    assert "À lire aussi" not in page_text(client.get(article.get_absolute_url()))


@pytest.mark.parametrize("count", [1, 10])
def test_related_articles_take_two_queries_whatever_their_number(django_assert_num_queries, count):
    section, tag = make_section(), make_tag()
    article = make_article(section=section, tags=[tag])
    for _ in range(count):
        make_article(section=section, tags=[tag], published_at=ago(2))
        make_article(section=section, published_at=ago(3))
    article = Article.objects.prefetch_related("tags").get(pk=article.pk)

    with django_assert_num_queries(2):
        related = Article.objects.published().related_to(article)

    assert len(related) == min(4, 2 * count)
