import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleStatus
from articles.services import publish_articles
from tests.articles.factories import make_upload
from tests.conftest import committed, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"


def _add_form_data(section, author, **overrides):
    data = {
        "title": "Le port accélère",
        "slug": "le-port-accelere",
        "standfirst": "Les quais passent à l'électricité.",
        "body": "<h2>Les quais</h2><p>Texte</p>",
        "section": section.pk,
        "authors": [author.pk],
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        "status": ArticleStatus.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "comments_enabled": "on",
        "seo_description": "",
        "_save": "Enregistrer",
    }
    data.update(overrides)
    return data


def _inline_code(html):
    """Everything a strict CSP would block: inline scripts (other than data
    blocks), <style> elements and style attributes."""
    scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    return scripts + re.findall(r"<style\b", html) + re.findall(r"\sstyle=", html)


def test_redaction_member_can_open_the_article_form(client, editor):
    client.force_login(editor)

    page = client.get(ADD_URL)

    assert page.status_code == 200
    assert "Photo principale" in page.content.decode()


def test_moderation_member_cannot_add_an_article(client, moderator):
    client.force_login(moderator)

    page = client.get(ADD_URL)

    assert page.status_code == 403


def test_editor_creates_an_article_and_its_body_is_stored_sanitised(client, editor):
    section, author = make_section(), make_author()
    client.force_login(editor)

    response = client.post(
        ADD_URL,
        _add_form_data(
            section,
            author,
            body='<h2>Les quais</h2><p onclick="x()">Texte <a href="javascript:alert(1)">lien</a></p>'
            "<script>alert(1)</script>",
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="le-port-accelere")
    assert article.body == '<h2>Les quais</h2><p>Texte <a rel="noopener noreferrer">lien</a></p>'
    assert list(article.authors.all()) == [author]


def test_editor_uploads_a_photo_and_gets_renditions(client, editor):
    section, author = make_section(), make_author()
    client.force_login(editor)

    with committed():
        client.post(
            ADD_URL,
            _add_form_data(
                section,
                author,
                image=make_upload(width=900, height=600),
                image_alt="Les quais",
                image_credit="AFP",
            ),
        )

    article = Article.objects.get(slug="le-port-accelere")
    assert (article.image_width, article.image_height) == (900, 600)
    assert sorted((r["format"], r["width"]) for r in article.image_renditions) == [
        ("jpeg", 480),
        ("jpeg", 800),
        ("webp", 480),
        ("webp", 800),
    ]


def test_photo_without_credit_is_refused_with_a_message_next_to_the_field(client, editor):
    section, author = make_section(), make_author()
    client.force_login(editor)

    page = client.post(
        ADD_URL,
        _add_form_data(section, author, image=make_upload(), image_alt="Les quais", image_credit=""),
    )

    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "image_credit": ["Indiquez le crédit de la photo, par exemple « Schneider Electric »."]
    }
    assert not Article.objects.exists()
    assert 'value="Le port accélère"' in page.content.decode()


def test_non_image_upload_is_refused_in_french(client, editor):
    section, author = make_section(), make_author()
    client.force_login(editor)

    page = client.post(
        ADD_URL,
        _add_form_data(
            section,
            author,
            image=make_upload("photo.jpg", b"ceci n'est pas une photo"),
            image_alt="Les quais",
            image_credit="AFP",
        ),
    )

    assert page.context["adminform"].form.errors["image"] == [
        "Ce fichier n'est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP."
    ]


def test_published_without_a_date_is_published_now(client, editor):
    section, author = make_section(), make_author()
    client.force_login(editor)

    client.post(ADD_URL, _add_form_data(section, author, status=ArticleStatus.PUBLISHED))

    article = Article.objects.get(slug="le-port-accelere")
    assert article.is_published
    assert timezone.now() - article.published_at < timedelta(minutes=1)


def test_article_form_has_a_rich_text_editor_and_no_inline_code(client, editor):
    client.force_login(editor)

    html = client.get(ADD_URL).content.decode()

    assert "data-django-prose-editor-configurable" in html
    assert '<script src="/static/js/admin/prose-editor.js" type="module"></script>' in html
    assert 'type="importmap"' not in html
    assert _inline_code(html) == []


def test_article_list_has_no_inline_code_and_labels_scheduled_articles(client, editor):
    make_article(title="À venir", published_at=timezone.now() + timedelta(days=2))
    make_article(title="En ligne", image=make_upload(), image_alt="Les quais", image_credit="AFP")
    client.force_login(editor)

    html = client.get(LIST_URL).content.decode()

    assert "Programmé le" in html
    assert 'class="article-thumbnail"' in html
    assert _inline_code(html) == []


def test_change_form_shows_a_preview_of_the_photo(client, editor):
    article = make_article(
        image=make_upload(width=900, height=600), image_alt="Les quais", image_credit="AFP"
    )
    client.force_login(editor)

    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert re.search(
        r'<img src="/media/articles/[^"]+-800w\.jpg" alt="Les quais" class="article-preview">', html
    )
    assert _inline_code(html) == []


def test_publish_action_publishes_drafts(client, editor):
    draft = make_article(status=ArticleStatus.DRAFT, published_at=None)
    client.force_login(editor)

    page = client.post(LIST_URL, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)

    draft.refresh_from_db()
    assert draft.is_published
    assert "1 article publié." in page.content.decode()


def test_unpublish_action_hides_the_article_from_readers(client, editor):
    article = make_article()
    client.force_login(editor)

    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_search_finds_articles_by_standfirst(client, editor):
    make_article(title="Premier", standfirst="Les quais passent à l'électricité.")
    make_article(title="Second", standfirst="Rien à voir.")
    client.force_login(editor)

    page = client.get(LIST_URL, {"q": "électricité"})

    assert [article.title for article in page.context["cl"].result_list] == ["Premier"]


def test_publishing_an_article_with_a_future_date_keeps_it_scheduled():
    tomorrow = timezone.now() + timedelta(days=1)
    draft = make_article(status=ArticleStatus.DRAFT, published_at=tomorrow)

    publish_articles(articles=Article.objects.filter(pk=draft.pk), by=None)

    draft.refresh_from_db()
    assert draft.is_scheduled
    assert draft.published_at == tomorrow


def test_article_list_shows_reads_and_pending_comments_per_article(client, django_user_model):
    from django.utils import timezone

    from comments.models import Comment, CommentStatus
    from tests.articles.factories import make_reads
    from tests.conftest import make_article

    admin_user = django_user_model.objects.create_superuser("chef", password="motdepasse-chef")
    article = make_article(title="Le port accélère")
    make_reads(article, 42, timezone.localdate())
    Comment.objects.create(
        article=article,
        author_name="Lecteur",
        author_email="l@example.org",
        text="Bravo",
        status=CommentStatus.PENDING,
    )
    client.force_login(admin_user)

    page = client.get("/admin/articles/article/")

    row = page.context["cl"].result_list[0]
    assert (row.total_views, row.pending_comment_count) == (42, 1)
    assert "42" in page.content.decode()


# At 100,000 articles (issue 8).


def test_admin_search_takes_words_as_typed_without_accents(client, editor):
    make_article(title="La Métropole accélère")
    make_article(title="Le port")
    client.force_login(editor)

    page = client.get(LIST_URL, {"q": "metro"})

    assert [article.title for article in page.context["cl"].result_list] == ["La Métropole accélère"]


def test_date_bar_lists_the_years_from_the_first_to_the_last_article(client, editor):
    section = make_section()
    make_article(section=section, published_at=timezone.make_aware(timezone.datetime(2023, 3, 1, 10)))
    make_article(section=section, published_at=timezone.make_aware(timezone.datetime(2025, 6, 1, 10)))
    client.force_login(editor)

    html = client.get(LIST_URL).content.decode()

    bar = html[html.index('class="toplinks"') : html.index("</nav>", html.index('class="toplinks"'))]
    assert re.findall(r">(\d{4})</a>", bar) == ["2023", "2024", "2025"]


def test_tag_filter_is_an_autocomplete(client, editor):
    from tests.articles.factories import make_tag

    make_tag(name="Hydrogène")
    client.force_login(editor)

    html = client.get(LIST_URL).content.decode()

    assert 'name="tags__id__exact"' in html
    assert "Hydrogène" not in html


@pytest.mark.parametrize("count", [1, 10])
def test_article_list_query_count_is_constant(client, editor, django_assert_num_queries, count):
    from comments.models import Comment
    from tests.articles.factories import make_reads

    section, author = make_section(), make_author()
    for _ in range(count):
        article = make_article(section=section, authors=[author])
        make_reads(article, 3, timezone.localdate())
        Comment.objects.create(article=article, author_name="L", author_email="l@example.org", text="Avis")
    client.force_login(editor)

    # session, user, permissions (user's, groups'), sections of the filter,
    # capped count, the page with reads and pending counts, the date bar's bounds
    with django_assert_num_queries(8):
        client.get(LIST_URL)
