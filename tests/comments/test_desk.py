"""The moderation desk (« File de modération »): queues, decisions with and
without JavaScript, undo, two moderators on one comment, the header count,
the queue's health and a constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from audit.models import AuditAction, AuditEntry
from comments import services
from comments.models import AlreadyModerated, Comment, CommentStatus, HoldReason, InvalidTransition
from tests.comments.factories import make_approved_comment, make_comment
from tests.conftest import make_article, page_text, plain

pytestmark = pytest.mark.django_db

DESK = "/admin/comments/comment/desk/"
JSON = {"HTTP_ACCEPT": "application/json"}


def decide_url(comment, action):
    return f"{DESK}{comment.pk}/{action}/"


def aged(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))
    comment.refresh_from_db()
    return comment


def test_desk_lists_pending_comments_oldest_first_whole(client, moderator):
    article = make_article(title="Le port accélère")
    newer = make_comment(article=article, text="Le plus récent.")
    older = aged(
        make_comment(article=article, text="Le plus ancien.\n\nDeuxième paragraphe entier."), hours=5
    )
    make_comment(article=article, status=CommentStatus.SPAM, text="Une pub.")
    client.force_login(moderator)

    html = plain(client.get(DESK))

    assert html.index(f'id="desk-comment-{older.pk}"') < html.index(f'id="desk-comment-{newer.pk}"')
    assert "Deuxième paragraphe entier." in html
    assert "Une pub." not in html
    assert "Le port accélère" in html
    assert "<title>(2) File de modération" in html


def test_desk_shows_hold_reasons_in_french_and_the_article_published_count(client, moderator):
    article = make_article()
    make_approved_comment(article=article)
    make_comment(article=article, hold_reasons=[HoldReason.LINKS, HoldReason.DUPLICATE])
    client.force_login(moderator)

    html = page_text(client.get(DESK))

    assert "Motifs : Trop de liens, Doublon probable" in html
    assert "1 commentaire publié" in html


def test_commenter_history_counts_their_other_comments_for_moderators(client, moderator):
    for status in (
        CommentStatus.APPROVED,
        CommentStatus.APPROVED,
        CommentStatus.REJECTED,
        CommentStatus.SPAM,
    ):
        make_comment(author_email="Habitue@Example.org", status=status)
    make_comment(author_email="habitue@example.org", text="Le nouveau.")
    client.force_login(moderator)

    html = page_text(client.get(DESK))

    assert (
        "Historique du lecteur : 2 approuvé(s), 1 rejeté(s), 1 indésirable(s), 0 autre(s) en attente" in html
    )


def test_commenter_history_is_hidden_without_the_moderation_permission(client, editor):
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment", "change_comment"]))
    make_comment(author_email="lou@example.org")
    client.force_login(editor)

    html = plain(client.get(DESK))

    assert "Historique du lecteur" not in html


@pytest.mark.parametrize(
    ("queue", "status", "shown"),
    [
        ("pending", CommentStatus.PENDING, True),
        ("spam", CommentStatus.SPAM, True),
        ("rejected", CommentStatus.REJECTED, True),
        ("spam", CommentStatus.PENDING, False),
    ],
)
def test_each_queue_shows_its_state(client, moderator, queue, status, shown):
    make_comment(status=status, text="Le texte cherché.")
    client.force_login(moderator)

    html = plain(client.get(f"{DESK}?queue={queue}"))

    assert ("Le texte cherché." in html) is shown


def test_filters_by_article_and_hold_reason(client, moderator):
    article = make_article()
    make_comment(article=article, text="Bon article, bon motif.", hold_reasons=[HoldReason.LINKS])
    make_comment(article=article, text="Bon article, sans motif.")
    make_comment(text="Autre article.", hold_reasons=[HoldReason.LINKS])
    client.force_login(moderator)

    html = plain(client.get(f"{DESK}?queue=pending&article={article.pk}&reason=links"))

    assert "Bon article, bon motif." in html
    assert "Bon article, sans motif." not in html
    assert "Autre article." not in html


def test_desk_pages_after_the_last_comment_shown(client, moderator, monkeypatch):
    monkeypatch.setattr("comments.desk.PAGE_SIZE", 2)
    first, second, third = (aged(make_comment(text=f"Numéro {n}."), hours=10 - n) for n in range(3))
    client.force_login(moderator)

    page_one = plain(client.get(DESK))
    page_two = plain(client.get(f"{DESK}?queue=pending&apres={second.pk}&fragment=1"))

    assert "Numéro 0." in page_one and "Numéro 1." in page_one and "Numéro 2." not in page_one
    assert f"apres={second.pk}" in page_one
    assert "Numéro 2." in page_two and "Numéro 1." not in page_two
    assert "<html" not in page_two


@pytest.mark.parametrize("count", [1, 3])
def test_desk_query_count_is_constant(client, moderator, count):
    article = make_article()
    for n in range(count):
        make_comment(article=article, author_email=f"r{n}@example.org")
    client.force_login(moderator)

    with CaptureQueriesContext(connection) as queries:
        client.get(DESK)

    # session, user, permissions (user's, groups'), the header's count, the
    # page of comments with their articles, the commenters' history, the
    # health box (count and oldest, then the top articles)
    assert len(queries) == 8, "\n".join(q["sql"] for q in queries.captured_queries)


def test_reported_queue_query_count_is_constant(client, moderator):
    for n in range(3):
        comment = make_approved_comment()
        services.report_comment(comment_id=comment.pk, reason="abuse", reporter_hash=f"lecteur-{n}")
    client.force_login(moderator)

    with CaptureQueriesContext(connection) as queries:
        client.get(f"{DESK}?queue=reported")

    # session, user, permissions (2), the page, the history, the open reports
    # of the comments shown, the health box (nothing pending: no top articles)
    assert len(queries) == 8, "\n".join(q["sql"] for q in queries.captured_queries)


def test_approve_with_javascript_answers_json_and_publishes(client, moderator):
    comment = make_comment()
    client.force_login(moderator)

    response = client.post(decide_url(comment, "approve"), {"etat": "pending"}, **JSON)

    assert response.status_code == 200
    assert response.json() == {
        "outcome": "done",
        "message": "Commentaire approuvé.",
        "pending": 0,
        "status": "approved",
        "status_label": "Approuvé",
        "undoable": True,
    }
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1


def test_reject_without_javascript_redirects_back_with_a_message(client, moderator):
    comment = make_comment()
    client.force_login(moderator)

    response = client.post(
        decide_url(comment, "reject"), {"etat": "pending", "next": f"{DESK}?queue=pending"}, follow=True
    )

    assert response.redirect_chain == [(f"{DESK}?queue=pending", 302)]
    assert "Commentaire rejeté." in plain(response)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.REJECTED


def test_next_outside_the_site_is_ignored(client, moderator):
    comment = make_comment()
    client.force_login(moderator)

    response = client.post(
        decide_url(comment, "spam"), {"etat": "pending", "next": "https://ailleurs.example/"}
    )

    assert response.url == DESK


def test_second_moderator_is_told_who_already_decided(client, moderator, django_user_model):
    comment = make_comment()
    services.approve_comment(comment.pk, moderator=moderator)
    other = django_user_model.objects.create_user("second", is_staff=True)
    other.groups.add(*moderator.groups.all())
    client.force_login(other)

    response = client.post(decide_url(comment, "reject"), {"etat": "pending"}, **JSON)

    assert response.status_code == 409
    assert response.json()["outcome"] == "already"
    assert plain(response.json()["message"]).startswith("Déjà traité par moderatrice le ")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED


def test_change_comment_status_with_expected_status_raises_already_moderated(moderator):
    comment = make_comment()
    services.reject_comment(comment.pk, moderator=moderator)

    with pytest.raises(AlreadyModerated) as raised:
        services.change_comment_status(
            comment.pk,
            status=CommentStatus.APPROVED,
            moderator=moderator,
            expected_status=CommentStatus.PENDING,
        )

    assert raised.value.by == moderator
    assert raised.value.status == CommentStatus.REJECTED


def test_undo_restores_the_previous_state_and_is_journaled(client, moderator):
    comment = make_comment()
    client.force_login(moderator)
    client.post(decide_url(comment, "approve"), {"etat": "pending"}, **JSON)

    response = client.post(decide_url(comment, "undo"), {"etat": "approved"}, **JSON)

    assert response.json()["status"] == "pending"
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by, comment.moderated_at) == (CommentStatus.PENDING, None, None)
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.COMMENT_APPROVE,
        AuditAction.COMMENT_UNDO,
    ]


def test_undo_of_a_rescue_puts_the_comment_back_in_spam(moderator):
    comment = make_comment(status=CommentStatus.SPAM, hold_reasons=[HoldReason.DISALLOWED_WORD])
    services.approve_comment(comment.pk, moderator=moderator)

    services.undo_comment_decision(comment.pk, moderator=moderator, expected_status=CommentStatus.APPROVED)

    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM


def test_only_the_moderator_who_decided_may_undo(moderator, editor):
    comment = make_comment()
    services.approve_comment(comment.pk, moderator=moderator)

    with pytest.raises(InvalidTransition):
        services.undo_comment_decision(comment.pk, moderator=editor, expected_status=CommentStatus.APPROVED)


def test_undo_after_someone_else_decided_is_already_moderated(moderator, editor):
    comment = make_comment()
    services.approve_comment(comment.pk, moderator=moderator)
    services.reject_comment(comment.pk, moderator=editor)

    with pytest.raises(AlreadyModerated):
        services.undo_comment_decision(
            comment.pk, moderator=moderator, expected_status=CommentStatus.APPROVED
        )


def test_reply_from_the_desk_publishes_la_redaction(client, moderator):
    comment = make_approved_comment()
    client.force_login(moderator)

    response = client.post(f"{DESK}{comment.pk}/repondre/", {"text": "Merci, corrigé."}, **JSON)

    assert response.json()["message"] == "Réponse de la rédaction publiée."
    reply = Comment.objects.get(parent=comment)
    assert (reply.text, reply.is_newsroom_reply, reply.status) == ("Merci, corrigé.", True, "approved")


def test_desk_decisions_need_the_change_permission(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_comment"))
    comment = make_comment()
    client.force_login(editor)

    assert client.get(DESK).status_code == 200
    assert client.post(decide_url(comment, "approve"), {"etat": "pending"}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_desk_refuses_get_on_a_decision(client, moderator):
    comment = make_comment()
    client.force_login(moderator)

    assert client.get(decide_url(comment, "approve")).status_code == 405


def test_header_shows_the_pending_count_on_every_admin_page(client, moderator):
    make_comment()
    make_comment()
    client.force_login(moderator)

    html = plain(client.get("/admin/comments/moderationword/"))

    assert (
        f'<a id="desk-header-link" href="{DESK}">File de modération (<span data-desk-count>2</span>)</a>'
        in html
    )
    assert '<script src="/static/js/admin/queue-count.js" defer></script>' in html  # « (2) » in the tab title


def test_header_has_no_queue_for_editors(client, editor):
    make_comment()
    client.force_login(editor)

    html = plain(client.get("/admin/"))

    assert "desk-header-link" not in html


def test_admin_home_links_the_desk_first_with_the_queue_health(client, moderator):
    article = make_article(title="Le port accélère")
    aged(make_comment(article=article), hours=3)
    make_comment(article=article)
    client.force_login(moderator)

    html = plain(client.get("/admin/"))

    assert f'<a class="button" href="{DESK}">File de modération</a>' in html
    assert "2 commentaires en attente de modération" in html
    assert "le plus ancien attend depuis 3 heures" in html
    assert f'?queue=pending&amp;article={article.pk}">Le port accélère</a> (2)' in html


def test_comment_page_has_decision_buttons_that_come_back_to_it(client, moderator):
    comment = make_comment()
    client.force_login(moderator)
    page = f"/admin/comments/comment/{comment.pk}/change/"

    html = plain(client.get(page))
    response = client.post(decide_url(comment, "spam"), {"etat": "pending", "next": page})

    assert f'action="{decide_url(comment, "approve")}"' in html
    assert f'action="{decide_url(comment, "spam")}"' in html
    assert response.url == page
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM


def test_a_first_comment_says_so_in_the_history(client, moderator):
    make_comment(author_email="nouvelle@example.org")
    client.force_login(moderator)

    assert "Historique du lecteur : premier commentaire à cette adresse" in page_text(client.get(DESK))


def test_a_comment_deleted_meanwhile_is_said_so(client, moderator):
    comment = make_comment()
    url = decide_url(comment, "approve")
    comment.delete()
    client.force_login(moderator)

    response = client.post(url, {"etat": "pending"}, **JSON)

    assert response.status_code == 410
    assert response.json()["message"] == "Ce commentaire a été supprimé."


@pytest.mark.parametrize(
    "query", ["queue=inconnue", "article=abc", "reason=%27", "apres=-3", "article=99999"]
)
def test_odd_desk_parameters_give_a_page_never_an_error(client, moderator, query):
    make_comment(text="Toujours là.")
    client.force_login(moderator)

    response = client.get(f"{DESK}?{query}")

    assert response.status_code == 200


def test_a_comment_that_has_just_arrived_waits_for_less_than_a_minute(client, moderator):
    make_comment()
    client.force_login(moderator)

    html = plain(client.get("/admin/"))

    assert "le plus ancien attend depuis moins d'une minute" in html
    assert "0 minute" not in html
