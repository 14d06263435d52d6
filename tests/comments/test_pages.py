import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from comments.context import PENDING_COOKIE
from comments.models import Comment, CommentStatus
from comments.services import approve_comment
from tests.comments.factories import make_approved_comment, make_comment, post_data
from tests.conftest import make_article, plain

pytestmark = pytest.mark.django_db

MARKER_EMAIL = "marqueur-unique-7f3a@example.org"


@pytest.mark.parametrize(
    ("count", "heading"), [(0, "Commentaire 0"), (1, "1 commentaire"), (12, "12 commentaires")]
)
def test_heading_counts_published_comments_in_french(client, count, heading):
    article = make_article()
    for _ in range(count):
        make_approved_comment(article=article)
    make_comment(article=article)  # pending: never counted

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<h2 id="comments-title" class="comments-title">{heading}</h2>' in html


def test_empty_state_invites_the_first_comment(client):
    article = make_article()

    html = plain(client.get(article.get_absolute_url()))

    assert (
        "Il n'y a actuellement aucun commentaire concernant cet article. "
        "Soyez le premier à donner votre avis !"
    ) in html
    assert "Votre e-mail ne sera pas affiché publiquement. Tous les champs sont obligatoires." in html


def test_published_comment_shows_name_french_date_and_paragraphs(client):
    article = make_article()
    make_approved_comment(
        article=article,
        author_name="Camille",
        text="Premier paragraphe.\n\nSecond paragraphe.",
        created_at=timezone.datetime(2025, 7, 10, 8, 5, tzinfo=timezone.UTC),
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Camille" in html
    assert "10 juillet 2025 à 10\u00a0h\u00a005" in html
    assert "<p>Premier paragraphe.</p>\n\n<p>Second paragraphe.</p>" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "</script><script>alert(1)</script>",
        '<a href="javascript:alert(1)">clic</a>',
    ],
)
def test_xss_payloads_in_name_and_text_are_shown_as_text(client, payload):
    article = make_article()
    make_approved_comment(article=article, author_name=payload[:80], text=payload)

    html = client.get(article.get_absolute_url()).content.decode()

    assert payload not in html
    assert "<img src=x" not in html and "<svg/onload" not in html and "<script>alert" not in html
    assert 'href="javascript:' not in html and 'href="https://exemple.fr' not in html
    assert "&lt;" in html


def test_links_in_comments_are_not_clickable(client):
    article = make_article()
    make_approved_comment(article=article, text="Voir https://exemple.fr et javascript:alert(1)")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Voir https://exemple.fr et javascript:alert(1)" in html
    assert 'href="https://exemple.fr' not in html and 'href="javascript:' not in html


def test_comments_are_paginated_oldest_first_with_anchors(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    now = timezone.now()
    comments = [
        make_approved_comment(article=article, text=f"Avis {i}", created_at=now - timedelta(hours=10 - i))
        for i in range(3)
    ]

    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(f"{article.get_absolute_url()}?commentaires=2").content.decode()

    assert first.index("Avis 0") < first.index("Avis 1") and "Avis 2" not in first
    assert "?commentaires=2#commentaires" in first
    assert "Avis 2" in second and "Avis 0" not in second
    assert f'id="commentaire-{comments[2].pk}"' in second


def test_approving_a_comment_changes_the_page_and_its_etag_at_once(client, moderator):
    article = make_article()
    comment = make_comment(article=article, text="Bientôt publié")
    before = client.get(article.get_absolute_url())

    approve_comment(comment.pk, moderator=moderator)
    after = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert "Bientôt publié" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_pending_comment_is_shown_to_moderators_in_the_admin(admin_client):
    comment = make_comment(text="À valider")

    html = admin_client.get("/admin/comments/comment/").content.decode()

    assert "À valider" in html
    assert comment.get_status_display() in html


@pytest.mark.parametrize("count", [1, 10])
def test_article_page_query_count_is_constant(client, django_assert_num_queries, count):
    article = make_article()
    for _ in range(count):
        make_approved_comment(article=article)

    # With nothing cached: the article, its authors and tags, the sections of
    # the masthead, the comments block (page, replies and count in one query);
    # most read and the event box add one each, most commented two (the
    # totals of its index, then the articles), « À lire aussi » two.
    # With the shared cache, the last four come from it: see
    # tests/newsroom/test_page_cache.py.
    with django_assert_num_queries(11):
        client.get(article.get_absolute_url())


@pytest.mark.parametrize("count", [1, 10])
def test_article_page_with_pending_cookie_query_count_is_constant(client, django_assert_num_queries, count):
    article = make_article()
    pending = [make_comment(article=article) for _ in range(count)]
    for _ in range(count):
        make_approved_comment(article=article)
    client.cookies[PENDING_COOKIE] = ""
    from django.http import HttpResponse

    from comments.context import remember_pending_comment

    response = HttpResponse()
    for comment in pending:
        fake_request = type("R", (), {"get_signed_cookie": client_cookie_reader(client)})()
        remember_pending_comment(fake_request, response, comment)
        client.cookies[PENDING_COOKIE] = response.cookies[PENDING_COOKIE].value

    with django_assert_num_queries(12):  # the same, and the reader's pending comments
        page = client.get(article.get_absolute_url())

    assert page.content.decode().count("En attente de validation") == count


def client_cookie_reader(client):
    from django.http import HttpRequest

    def read(self, key, default=None, salt="", max_age=None):
        request = HttpRequest()
        request.COOKIES = {k: v.value for k, v in client.cookies.items()}
        return request.get_signed_cookie(key, salt=salt, max_age=max_age)

    return read


@pytest.mark.parametrize("count", [1, 10])
def test_most_commented_widget_is_two_queries(client, django_assert_num_queries, count):
    articles = [make_article() for _ in range(count)]
    for article in articles:
        make_approved_comment(article=article)
    from comments.templatetags.comments_tags import most_commented

    # The totals of the comments' index, then the articles.
    with django_assert_num_queries(2):
        html = most_commented()

    assert html.count("<li>") == min(count, 5)


def test_most_commented_ranks_approved_comments_of_the_last_30_days(client):
    busy, quiet, old = make_article(title="Très commenté"), make_article(title="Peu commenté"), make_article()
    for _ in range(3):
        make_approved_comment(article=busy)
    make_approved_comment(article=quiet)
    make_comment(article=quiet)  # pending: not counted
    for _ in range(5):
        make_approved_comment(article=old, created_at=timezone.now() - timedelta(days=31))

    html = client.get("/").content.decode()

    widget = html.split("Sujets les + commentés")[1].split("</section>")[0]
    assert widget.index("Très commenté") < widget.index("Peu commenté")
    assert "3 commentaires" in widget and "1 commentaire" in widget
    assert old.title not in widget


def test_commenter_email_appears_in_no_public_response(client):
    article = make_article()
    make_approved_comment(article=article, author_email=MARKER_EMAIL, text="Visible")
    make_comment(article=article, author_email=MARKER_EMAIL, text="En attente")
    # The lead extends this list with feeds, sitemap, search and JSON-LD pages.
    urls = [
        "/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?commentaires=1",
        article.section.get_absolute_url(),
        "/page-qui-n-existe-pas/",
        "/robots.txt",
    ]

    for url in urls:
        response = client.get(url)
        assert MARKER_EMAIL not in response.content.decode(), url
        assert MARKER_EMAIL.split("@")[0] not in response.content.decode(), url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hundred_concurrent_posts_give_hundred_pending_comments():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    article = make_article()
    forms = [post_data(article, email=f"concurrent{i}@example.org", text=f"Avis {i}") for i in range(100)]
    barrier = threading.Barrier(20)

    def send(index):
        try:
            if index < 20:
                barrier.wait()
            return (
                Client()
                .post(
                    "/commentaires/envoyer/", forms[index], REMOTE_ADDR=f"10.0.{index // 250}.{index % 250}"
                )
                .status_code
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(send, range(100)))

    assert statuses == [302] * 100
    assert Comment.objects.filter(article=article, status=CommentStatus.PENDING).count() == 100
