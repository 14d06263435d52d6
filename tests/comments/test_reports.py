"""Readers report a published comment: « Signaler » under each comment (no
token, no cookie: the page stays shared-cacheable), one report per reader,
a limit per address, the « Signalés » queue, hiding after N reports, and
comment permalinks that know their page."""

import pytest
from django.test import Client

from articles.models import Article
from comments import services
from comments.models import Comment, CommentReport, CommentStatus, HoldReason
from tests.comments.factories import make_approved_comment, make_comment
from tests.conftest import make_article, page_text

pytestmark = pytest.mark.django_db

DESK = "/admin/comments/comment/desk/"


def report(comment, reason="abuse", *, address="198.51.100.7", agent="Firefox", **headers):
    reader = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    return reader.post(f"/commentaires/{comment.pk}/signaler/", {"reason": reason}, **headers)


def test_published_comment_has_a_report_form_without_token(client):
    comment = make_approved_comment(text="Un avis publié.")

    response = client.get(comment.article.get_absolute_url())
    html = response.content.decode()

    assert (
        f'<form method="post" action="/commentaires/{comment.pk}/signaler/" class="comment-report-form">'
        in html
    )
    assert 'value="abuse"' in html and "Injurieux ou haineux" in html
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in response.headers


def test_report_is_counted_and_thanks_the_reader(client):
    comment = make_approved_comment()

    response = report(comment, HTTP_ORIGIN="http://testserver")

    assert response.status_code == 200
    assert "Merci : votre signalement a été transmis à la modération." in page_text(response)
    assert "no-store" in response["Cache-Control"]
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, len(stored.reporter_hash)) == (comment, "abuse", 64)
    assert "198.51.100.7" not in stored.reporter_hash
    assert Comment.objects.get(pk=comment.pk).open_report_count == 1


def test_same_reader_reporting_twice_counts_once():
    comment = make_approved_comment()

    report(comment, "abuse")
    report(comment, "spam")

    assert CommentReport.objects.count() == 1
    assert Comment.objects.get(pk=comment.pk).open_report_count == 1


def test_two_readers_count_twice():
    comment = make_approved_comment()

    report(comment, address="198.51.100.7")
    report(comment, address="198.51.100.8")

    assert Comment.objects.get(pk=comment.pk).open_report_count == 2


def test_report_from_another_site_is_refused():
    comment = make_approved_comment()

    response = report(comment, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert CommentReport.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "autre-chose"])
def test_report_needs_a_reason_from_the_list(reason):
    comment = make_approved_comment()

    response = report(comment, reason)

    assert response.status_code == 400
    assert "Choisissez un motif de signalement." in page_text(response)


def test_pending_comment_cannot_be_reported():
    comment = make_comment()

    assert report(comment).status_code == 410
    assert CommentReport.objects.count() == 0


def test_reports_are_rate_limited_per_address(settings):
    settings.COMMENTS_REPORTS_PER_HOUR = 2
    article = make_article()
    comments = [make_approved_comment(article=article) for _ in range(3)]

    statuses = [report(comment).status_code for comment in comments]

    assert statuses == [200, 200, 429]
    assert CommentReport.objects.count() == 2


def test_comment_is_hidden_after_n_distinct_readers(settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 2
    comment = make_approved_comment()

    report(comment, address="198.51.100.7")
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    report(comment, address="198.51.100.8")

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons == [HoldReason.REPORTED]
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0


def test_reported_queue_shows_counts_and_reasons(client, moderator):
    comment = make_approved_comment(text="Un avis contesté.")
    make_approved_comment(text="Un avis tranquille.")
    for n, reason in enumerate(["abuse", "abuse", "off_topic"]):
        services.report_comment(comment_id=comment.pk, reason=reason, reporter_hash=f"lecteur-{n}")
    client.force_login(moderator)

    text = page_text(client.get(f"{DESK}?queue=reported"))

    assert "Un avis contesté." in text
    assert "Un avis tranquille." not in text
    assert "3 signalements : Injurieux ou haineux (2), Hors sujet (1)" in text


def test_keeping_a_reported_comment_closes_its_reports(client, moderator):
    comment = make_approved_comment()
    services.report_comment(comment_id=comment.pk, reason="abuse", reporter_hash="lecteur")
    client.force_login(moderator)

    response = client.post(f"{DESK}{comment.pk}/keep/", HTTP_ACCEPT="application/json")

    assert response.json()["message"] == "Commentaire gardé, signalements classés."
    comment.refresh_from_db()
    assert (comment.status, comment.open_report_count) == (CommentStatus.APPROVED, 0)
    assert CommentReport.objects.get().resolved_at is not None
    assert "Aucun" not in page_text(client.get(f"{DESK}?queue=reported"))
    assert "Rien à traiter dans cette file." in page_text(client.get(f"{DESK}?queue=reported"))


def test_marking_a_reported_comment_as_spam_unpublishes_it(client, moderator):
    comment = make_approved_comment()
    services.report_comment(comment_id=comment.pk, reason="spam", reporter_hash="lecteur")
    client.force_login(moderator)

    client.post(f"{DESK}{comment.pk}/spam/", {"etat": "approved"}, HTTP_ACCEPT="application/json")

    comment.refresh_from_db()
    assert (comment.status, comment.open_report_count) == (CommentStatus.SPAM, 0)
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 0


def test_keeping_a_hidden_comment_publishes_it_again(settings, client, moderator):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 1
    comment = make_approved_comment()
    services.report_comment(comment_id=comment.pk, reason="abuse", reporter_hash="lecteur")
    client.force_login(moderator)

    client.post(f"{DESK}{comment.pk}/keep/", HTTP_ACCEPT="application/json")

    comment.refresh_from_db()
    assert (comment.status, comment.open_report_count) == (CommentStatus.APPROVED, 0)
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1


def test_permalink_of_a_comment_on_page_two_lands_on_page_two(settings, django_assert_num_queries):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article(slug="le-port")
    first, second, third = (make_approved_comment(article=article) for _ in range(3))
    third = Comment.objects.select_related("article").get(pk=third.pk)

    with django_assert_num_queries(1):
        url = third.get_absolute_url()

    assert url == f"/articles/le-port/?commentaires=2#commentaire-{third.pk}"
    assert first.get_absolute_url() == f"/articles/le-port/#commentaire-{first.pk}"


def test_view_on_site_from_the_admin_lands_on_the_comments_page(client, settings, moderator):
    from django.contrib.contenttypes.models import ContentType

    settings.COMMENTS_PER_PAGE = 1
    article = make_article(slug="la-rade")
    make_approved_comment(article=article)
    second = make_approved_comment(article=article)
    client.force_login(moderator)
    content_type = ContentType.objects.get_for_model(Comment)

    response = client.get(f"/admin/r/{content_type.pk}/{second.pk}/")

    assert response.url.endswith(f"/articles/la-rade/?commentaires=2#commentaire-{second.pk}")


def test_undoing_a_decision_in_reported_puts_the_comment_back_there(moderator):
    comment = make_approved_comment()
    services.report_comment(comment_id=comment.pk, reason="abuse", reporter_hash="lecteur-1")
    services.report_comment(comment_id=comment.pk, reason="spam", reporter_hash="lecteur-2")
    services.reject_comment(comment.pk, moderator=moderator)

    services.undo_comment_decision(comment.pk, moderator=moderator, expected_status=CommentStatus.REJECTED)

    comment.refresh_from_db()
    assert (comment.status, comment.open_report_count) == (CommentStatus.APPROVED, 2)
    assert CommentReport.objects.filter(resolved_at__isnull=True).count() == 2
