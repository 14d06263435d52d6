from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleStatus
from newsroom.views import server_error
from tests.articles.factories import make_image_file, make_tag
from tests.conftest import make_article, make_articles, make_author, make_section, plain

pytestmark = pytest.mark.django_db


def test_published_article_is_shown_to_readers(client):
    article = make_article(title="Le port accélère")

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert "Le port accélère" in page.content.decode()


def test_draft_article_is_not_found_for_readers(client):
    article = make_article(status=ArticleStatus.DRAFT)

    page = client.get(article.get_absolute_url())

    assert page.status_code == 404


def test_scheduled_article_appears_at_its_time(client):
    article = make_article(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404

    article.published_at = timezone.now() - timedelta(seconds=1)
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 200


def test_draft_is_not_listed_anywhere(client):
    section = make_section()
    make_article(section=section, title="Brouillon secret", status=ArticleStatus.DRAFT)
    make_article(section=section, title="Programmé secret", published_at=timezone.now() + timedelta(days=1))

    pages = [client.get("/"), client.get(section.get_absolute_url()), client.get("/recherche/?q=secret")]

    for page in pages:
        assert "Brouillon secret" not in page.content.decode()
        assert "Programmé secret" not in page.content.decode()


def test_staff_previews_a_draft_with_a_banner_in_a_private_page(client, editor):
    article = make_article(status=ArticleStatus.DRAFT, title="Avant-première")
    client.force_login(editor)

    page = client.get(article.get_absolute_url())

    assert "Aperçu : cet article n'est pas publié" in plain(page)
    assert "Avant-première" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    assert 'name="robots" content="noindex, nofollow"' in page.content.decode()


def test_staff_previews_a_scheduled_article(client, editor):
    article = make_article(published_at=timezone.now() + timedelta(days=2))
    client.force_login(editor)

    page = client.get(article.get_absolute_url())

    assert "parution programmée le" in page.content.decode()


def test_published_article_has_no_preview_banner(client):
    article = make_article()

    page = client.get(article.get_absolute_url())

    assert "Aperçu" not in page.content.decode()


def test_article_page_shows_section_title_standfirst_and_linked_authors(client):
    section = make_section(name="Territoires")
    authors = [make_author(name="Claire Martin"), make_author(name="Paul Durand")]
    article = make_article(section=section, authors=authors, standfirst="Un chapô net.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<a href="{section.get_absolute_url()}">Territoires</a>' in html
    assert "Un chapô net." in html
    assert f'<a href="{authors[0].get_absolute_url()}">Claire Martin</a>' in html
    assert f'<a href="{authors[1].get_absolute_url()}">Paul Durand</a>' in html


def test_article_date_is_written_in_french_in_paris_time(client):
    article = make_article(published_at=datetime(2023, 7, 10, 8, 0, tzinfo=UTC))

    html = client.get(article.get_absolute_url()).content.decode()

    assert "publié le lundi 10 juillet 2023 à 10\u00a0h<" in html
    assert "mis à jour le" not in html  # saved today, long after 2023, but nobody called it significant


def test_article_time_has_one_french_format_with_minutes(client):
    article = make_article(published_at=datetime(2023, 7, 1, 7, 38, tzinfo=UTC))

    html = plain(client.get(article.get_absolute_url()))

    assert "publié le samedi 1er juillet 2023 à 9 h 38<" in html


def test_article_saved_at_publication_shows_no_update(client):
    article = make_article(published_at=timezone.now() - timedelta(minutes=5))

    html = client.get(article.get_absolute_url()).content.decode()

    assert "mis à jour le" not in html


def test_article_body_keeps_its_intertitles(client):
    article = make_article(body="<p>Début.</p><h2>Omniprésence</h2><p>Suite.</p>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<h2>Omniprésence</h2>" in html


def test_article_page_lists_its_tags(client):
    tag = make_tag(name="Smart city")
    article = make_article(tags=[tag])

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<a href="{tag.get_absolute_url()}" rel="tag">Smart city</a>' in html


def test_article_hero_shows_its_photo_credit(client):
    article = make_article(
        image=make_image_file(),
        image_alt="Le Vieux-Port",
        image_caption="Marseille",
        image_credit="Schneider Electric",
    )

    html = plain(client.get(article.get_absolute_url()))

    assert "Crédits : Schneider Electric" in html
    assert 'alt="Le Vieux-Port"' in html


def test_home_shows_the_lead_story_and_the_latest(client):
    older = make_article(title="Plus ancien", published_at=timezone.now() - timedelta(days=1))
    lead = make_article(title="Le plus récent", image=make_image_file(), image_credit="AFP")

    html = plain(client.get("/"))

    assert '<h2 id="lead-title" class="lead-title"><a href="' + lead.get_absolute_url() in html
    assert "Crédits : AFP" in html
    assert older.title in html
    assert "Dernières actualités" in html
    assert "Sujets les + lus" in html


def test_home_without_articles_says_so(client):
    html = client.get("/").content.decode()

    assert "Aucun article publié pour le moment." in html


def test_section_page_is_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = make_section(name="Économie")
    make_articles(3, section=section)

    first = client.get(section.get_absolute_url())
    last = client.get(section.get_absolute_url() + "?page=2")

    assert "Page 1 sur 2" in first.content.decode()
    assert "Page 2 sur 2" in last.content.decode()
    assert last.content.decode().count('class="article-card"') == 1


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1", "1.5", "%00", "9" * 40])
def test_bad_page_number_gives_the_french_404(client, page):
    section = make_section()
    make_articles(2, section=section)

    response = client.get(f"{section.get_absolute_url()}?page={page}")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_page_last_gives_the_last_page(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    tag = make_tag()
    section = make_section()
    for _ in range(3):
        make_article(section=section, tags=[tag])

    response = client.get(tag.get_absolute_url() + "?page=last")

    assert "Page 2 sur 2" in response.content.decode()


def test_tag_page_lists_only_its_published_articles(client):
    tag = make_tag(name="Port")
    make_article(title="Avec le mot-clé", tags=[tag])
    make_article(title="Sans le mot-clé")

    html = client.get(tag.get_absolute_url()).content.decode()

    assert "Avec le mot-clé" in html
    assert "Sans le mot-clé" not in html


def test_author_page_shows_bio_and_articles(client):
    author = make_author(name="Claire Martin", job_title="Journaliste, Marseille", bio="Suit l'économie.")
    make_article(title="Son article", authors=[author])

    html = client.get(author.get_absolute_url()).content.decode()

    assert "<h1>Claire Martin</h1>" in html
    assert "Journaliste, Marseille" in html
    assert "Son article" in html


def test_unknown_slug_gives_the_french_404_page(client):
    response = client.get("/articles/n-existe-pas/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "n'existe pas ou n'est plus en ligne" in plain(response)


def test_unknown_section_gives_the_french_404_page(client):
    response = client.get("/rubrique/inconnue/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_500_page_is_french_and_does_not_touch_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_pages_have_landmarks_and_a_skip_link(client):
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<a class="visually-hidden-focusable skip-link" href="#contenu">Aller au contenu</a>' in html
    assert '<main id="contenu"' in html
    assert '<nav class="section-nav" aria-label="Rubriques">' in html
    assert html.count("<h1") == 1


def test_no_inline_script_or_style_on_public_pages(client):
    article = make_article(image=make_image_file(), image_credit="AFP")

    for url in ["/", article.get_absolute_url(), article.section.get_absolute_url(), "/recherche/?q=a"]:
        html = client.get(url).content.decode()
        assert "style=" not in html
        assert "<style" not in html
        for chunk in html.split("<script")[1:]:
            assert 'src="' in chunk.split(">")[0] or 'type="application/ld+json"' in chunk.split(">")[0]


def test_robots_txt_points_to_the_sitemap_and_hides_search(client):
    response = client.get("/robots.txt")

    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /recherche/\n"
        "Sitemap: http://127.0.0.1:8000/sitemap.xml\nSitemap: http://127.0.0.1:8000/sitemap-news.xml\n"
    )


@pytest.mark.parametrize("page", ["1", "2", "last"])
def test_section_pages_list_their_articles_newest_first_to_the_last_one(client, settings, page):
    settings.ARTICLES_PER_PAGE = 2
    section = make_section()
    now = timezone.now()
    titles = [f"Article du jour {n}" for n in range(5)]
    for days, title in enumerate(titles):
        make_article(section=section, title=title, published_at=now - timedelta(days=days, hours=1))
    expected = {"1": titles[0:2], "2": titles[2:4], "last": titles[4:5]}

    response = client.get(section.get_absolute_url(), {"page": page})

    assert [article.title for article in response.context["articles"]] == expected[page]
