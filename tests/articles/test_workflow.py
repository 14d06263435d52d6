"""Writers submit, the editor-in-chief publishes: enforced on the server."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article, ArticleStatus
from articles.services import publish_articles, save_article, submit_articles_for_review, unpublish_articles
from audit.models import AuditAction, AuditEntry
from tests.conftest import make_article, make_author, make_section, plain

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    section, author = make_section(), make_author()
    data = {
        "title": "Le port accélère",
        "slug": "le-port-accelere",
        "standfirst": "Chapô.",
        "body": "<p>Texte.</p>",
        "section": section.pk,
        "authors": [author.pk],
        "status": ArticleStatus.REVIEW,
        "published_at_0": "",
        "published_at_1": "",
        "comments_enabled": "on",
    }
    return {**data, **overrides}


def test_writer_submits_an_article_for_review(client, writer):
    client.force_login(writer)

    response = client.post("/admin/articles/article/add/", article_form())

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == ArticleStatus.REVIEW
    assert list(AuditEntry.objects.values_list("action", "actor__username")) == [
        (AuditAction.SUBMIT, "redactrice")
    ]


def test_writer_is_not_offered_publish_and_cannot_force_it(client, writer):
    client.force_login(writer)

    form_page = plain(client.get("/admin/articles/article/add/"))
    response = client.post("/admin/articles/article/add/", article_form(status=ArticleStatus.PUBLISHED))

    assert '<option value="published"' not in form_page
    assert '<option value="review"' in form_page
    assert response.status_code == 200
    assert Article.objects.count() == 0


def test_writer_sees_a_published_article_read_only(client, writer):
    article = make_article(title="Publié")
    client.force_login(writer)

    page = plain(client.get(f"/admin/articles/article/{article.pk}/change/"))
    response = client.post(f"/admin/articles/article/{article.pk}/change/", article_form(title="Changé"))

    assert 'name="title"' not in page
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Publié"


def test_writer_has_no_publish_action_and_a_forged_one_publishes_nothing(client, writer):
    draft = make_article(status=ArticleStatus.REVIEW)
    client.force_login(writer)

    page = plain(client.get("/admin/articles/article/"))
    client.post("/admin/articles/article/", {"action": "publish", "_selected_action": [draft.pk]})

    assert 'value="publish"' not in page
    assert 'value="submit_for_review"' in page
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.REVIEW


def test_publish_service_refuses_a_writer(writer):
    draft = make_article(status=ArticleStatus.REVIEW)

    with pytest.raises(PermissionDenied):
        publish_articles(articles=Article.objects.filter(pk=draft.pk), by=writer)

    draft.refresh_from_db()
    assert draft.status == ArticleStatus.REVIEW


def test_unpublish_service_refuses_a_writer(writer):
    article = make_article()

    with pytest.raises(PermissionDenied):
        unpublish_articles(articles=Article.objects.filter(pk=article.pk), by=writer)


def test_save_service_refuses_a_writer_who_changes_a_published_article(writer):
    article = make_article()
    article.title = "Autre titre"

    with pytest.raises(PermissionDenied):
        save_article(article=article, by=writer)


def test_chief_publishes_from_the_list_and_the_bulk_action_is_recorded(client, chief):
    drafts = [make_article(status=ArticleStatus.REVIEW, published_at=None) for _ in range(2)]
    client.force_login(chief)

    client.post("/admin/articles/article/", {"action": "publish", "_selected_action": [a.pk for a in drafts]})

    assert set(Article.objects.published().values_list("pk", flat=True)) == {a.pk for a in drafts}
    entries = AuditEntry.objects.order_by("object_id")
    assert [(e.action, e.bulk, e.actor_name, e.object_id) for e in entries] == [
        (AuditAction.PUBLISH, True, "cheffe", str(drafts[0].pk)),
        (AuditAction.PUBLISH, True, "cheffe", str(drafts[1].pk)),
    ]


def test_scheduling_is_recorded_as_such(chief):
    later = timezone.now() + timezone.timedelta(days=1)
    draft = make_article(status=ArticleStatus.REVIEW, published_at=later)

    publish_articles(articles=Article.objects.filter(pk=draft.pk), by=chief)

    assert AuditEntry.objects.get().action == AuditAction.SCHEDULE


def test_unpublish_action_is_recorded(client, chief):
    article = make_article()
    client.force_login(chief)

    client.post("/admin/articles/article/", {"action": "unpublish", "_selected_action": [article.pk]})

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.bulk, entry.object_repr) == (AuditAction.UNPUBLISH, True, article.title)


def test_submit_action_moves_drafts_to_review(writer):
    draft = make_article(status=ArticleStatus.DRAFT)

    assert submit_articles_for_review(articles=Article.objects.filter(pk=draft.pk), by=writer) == 1

    draft.refresh_from_db()
    assert draft.status == ArticleStatus.REVIEW


def test_delete_is_recorded_with_the_old_address(client, chief):
    article = make_article(slug="a-supprimer")
    client.force_login(chief)

    client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details) == (AuditAction.DELETE, {"path": "/articles/a-supprimer/"})
    assert not Article.objects.exists()


def test_an_article_in_review_is_not_public(client):
    article = make_article(status=ArticleStatus.REVIEW)

    assert client.get(article.get_absolute_url()).status_code == 404


# --- « mis à jour le … » ------------------------------------------------------


def test_significant_update_shows_mis_a_jour_in_the_byline(client, chief):
    article = make_article(published_at=timezone.now() - timezone.timedelta(days=2))
    article.body = "<p>Nouveau chiffre.</p>"

    save_article(article=article, by=chief, significant_update=True)

    html = plain(client.get(article.get_absolute_url()))
    assert "mis à jour le" in html
    assert AuditEntry.objects.get().action == AuditAction.SIGNIFICANT_UPDATE


def test_an_ordinary_save_days_later_does_not_say_mis_a_jour(client, chief):
    article = make_article(published_at=timezone.now() - timezone.timedelta(days=2))
    article.image_caption = "Légende corrigée."

    save_article(article=article, by=chief)

    assert "mis à jour le" not in plain(client.get(article.get_absolute_url()))


def test_the_admin_checkbox_marks_a_significant_update(client, chief):
    article = make_article(published_at=timezone.now() - timezone.timedelta(days=2))
    client.force_login(chief)
    data = article_form(
        title=article.title,
        slug=article.slug,
        status=ArticleStatus.PUBLISHED,
        published_at_0=timezone.localtime(article.published_at).strftime("%d/%m/%Y"),
        published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        significant_update="on",
    )

    client.post(f"/admin/articles/article/{article.pk}/change/", data)

    article.refresh_from_db()
    assert article.significant_update_at is not None


# --- Previews (issue 9, item 9) ----------------------------------------------


def test_moderator_without_article_permission_cannot_preview_a_draft(client, moderator):
    draft = make_article(status=ArticleStatus.DRAFT, title="Embargo")
    client.force_login(moderator)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Embargo" not in response.content.decode()


def test_writer_previews_a_draft(client, writer):
    draft = make_article(status=ArticleStatus.DRAFT, title="Embargo")
    client.force_login(writer)

    html = plain(client.get(draft.get_absolute_url()))

    assert "Aperçu : cet article n'est pas publié" in html
    assert "Embargo" in html


def test_staff_without_any_permission_cannot_preview_a_draft(client, django_user_model):
    draft = make_article(status=ArticleStatus.DRAFT)
    client.force_login(django_user_model.objects.create_user("stagiaire", is_staff=True))

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_moderator_cannot_preview_an_unpublished_event(client, moderator):
    from events.models import PublicationStatus
    from tests.events.factories import make_event

    event = make_event(publication_status=PublicationStatus.DRAFT, title="Rencontre secrète")
    client.force_login(moderator)

    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(event.get_ics_url()).status_code == 404


def test_writer_previews_an_unpublished_event(client, writer):
    from events.models import PublicationStatus
    from tests.events.factories import make_event

    event = make_event(publication_status=PublicationStatus.DRAFT, title="Rencontre secrète")
    client.force_login(writer)

    assert "Rencontre secrète" in plain(client.get(event.get_absolute_url()))


def test_moving_a_published_article_back_to_review_is_an_unpublication(chief):
    article = make_article()
    article.status = ArticleStatus.REVIEW

    save_article(article=article, by=chief)

    assert AuditEntry.objects.get().action == AuditAction.UNPUBLISH
