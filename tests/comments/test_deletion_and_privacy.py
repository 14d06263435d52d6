"""Deleting comments keeps every count right; editors and article comments;
admin URL lookups never leak commenters' emails or addresses (issue 9,
items 8, 10, 11)."""

import html
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleDailyView
from comments.models import Comment, CommentStatus
from comments.services import delete_comments, reply_as_newsroom
from comments.templatetags.comments_tags import most_commented_articles
from tests.comments.factories import make_approved_comment, make_comment
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


def heading(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html.split('class="comments-title">')[1].split("</h2>")[0]


# --- 11. One way to delete comments; the counts stay right -----------------------------------------


def test_bulk_delete_in_the_admin_goes_through_the_service_and_keeps_the_heading_right(client, moderator):
    article = make_article()
    comments = [make_approved_comment(article=article) for _ in range(7)]
    before = Article.objects.get(pk=article.pk).comments_changed_at
    client.force_login(moderator)

    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [comments[0].pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 6
    article.refresh_from_db()
    assert article.approved_comment_count == 6
    assert article.comments_changed_at > before
    assert heading(client, article) == "6 commentaires"


def test_deleting_one_comment_from_its_page_keeps_the_count_right(client, moderator):
    comment = make_approved_comment()
    client.force_login(moderator)

    client.post(f"{CHANGELIST}{comment.pk}/delete/", {"post": "yes"})

    assert not Comment.objects.exists()
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0


def test_deleting_a_comment_deletes_the_newsroom_answer_under_it(moderator):
    comment = make_approved_comment()
    reply_as_newsroom(parent_id=comment.pk, text="Réponse.", moderator=moderator)

    deleted = delete_comments(comments=Comment.objects.filter(pk=comment.pk))

    assert deleted == 2
    assert not Comment.objects.exists()


def test_deleting_a_pending_comment_leaves_the_published_count_alone():
    article = make_article()
    make_approved_comment(article=article)
    pending = make_comment(article=article)

    delete_comments(comments=Comment.objects.filter(pk=pending.pk))

    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_the_retention_purge_of_unseen_comments_leaves_the_article_page_cached():
    article = make_article()
    old = make_comment(article=article, status=CommentStatus.SPAM)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=91))
    before = Article.objects.get(pk=article.pk).comments_changed_at

    call_command("purge_comment_data", stdout=io.StringIO())

    assert not Comment.objects.exists()
    assert Article.objects.get(pk=article.pk).comments_changed_at == before


def test_heading_and_most_commented_count_the_same_reader_comments(client, moderator):
    article = make_article()
    first = make_approved_comment(article=article)
    make_approved_comment(article=article)
    reply_as_newsroom(parent_id=first.pk, text="Merci !", moderator=moderator)

    sidebar = most_commented_articles()[0]

    assert heading(client, article) == "2 commentaires"
    assert sidebar.recent_comment_count == 2
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2


# --- 10. Editors and the comments of their articles ----------------------------------------------------


def test_an_editor_deletes_an_article_with_comments_and_they_go_with_it(client, editor):
    article = make_article()
    make_approved_comment(article=article)
    make_comment(article=article)
    ArticleDailyView.objects.create(article=article, day=timezone.localdate(), count=3)
    client.force_login(editor)

    confirm = client.get(f"/admin/articles/article/{article.pk}/delete/")
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})

    assert confirm.status_code == 200
    assert "Vous n’avez pas les droits" not in confirm.content.decode()
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists()


def test_an_editor_bulk_deletes_articles_with_comments(client, editor):
    articles = [make_article(), make_article()]
    for article in articles:
        make_approved_comment(article=article)
    client.force_login(editor)

    client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes"},
    )

    assert not Article.objects.filter(pk__in=[a.pk for a in articles]).exists()
    assert not Comment.objects.exists()


def test_editors_see_the_pending_count_without_a_link_they_could_not_open(client, editor, moderator):
    article = make_article(title="Article en attente")
    make_comment(article=article)
    client.force_login(editor)

    editor_list = client.get("/admin/articles/article/").content.decode()
    client.force_login(moderator)
    moderator.user_permissions.add(*Permission.objects.filter(codename="view_article"))
    moderator_list = client.get("/admin/articles/article/").content.decode()

    link = f'{CHANGELIST}?article__id__exact={article.pk}&amp;status__exact=pending">1</a>'
    assert link not in editor_list
    assert '<td class="field-pending_count_plain_column">1</td>' in editor_list
    assert link in moderator_list
    assert (
        client.get(f"{CHANGELIST}?article__id__exact={article.pk}&status__exact=pending").status_code == 200
    )


# --- 8. No email or address rebuilt through admin URL lookups ------------------------------------------


@pytest.fixture
def staff_viewing_comments(editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return editor


@pytest.mark.parametrize(
    "query",
    [
        "author_email__startswith=a",
        "author_email=anne@example.org",
        "author_email__iexact=ANNE@example.org",
        "ip_address__startswith=192.",
        "ip_address=192.0.2.9",
        "parent__author_email__startswith=a",
        "article__comments__ip_address__startswith=192",
    ],
)
def test_without_moderation_permission_lookups_on_email_or_address_are_refused(
    client, staff_viewing_comments, query
):
    make_comment(author_email="anne@example.org", ip_address="192.0.2.9")
    client.force_login(staff_viewing_comments)

    response = client.get(f"{CHANGELIST}?{query}")

    assert response.status_code == 400


def test_the_article_admin_refuses_lookups_through_comments_too(client, editor):
    make_comment(author_email="anne@example.org")
    client.force_login(editor)

    assert client.get("/admin/articles/article/?comments__author_email__startswith=a").status_code == 400


def test_moderators_may_filter_on_email_and_address(client, moderator):
    make_comment(author_email="anne@example.org", ip_address="192.0.2.9", text="Le commentaire d'Anne")
    make_comment(author_email="paul@example.org", text="Le commentaire de Paul")
    client.force_login(moderator)

    response = client.get(f"{CHANGELIST}?author_email__startswith=anne")

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le commentaire d'Anne" in page
    assert "Le commentaire de Paul" not in page
