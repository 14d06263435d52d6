"""Corrections are public, dated, and where the editor put them."""

import json
import re
from datetime import UTC, datetime

import feedparser
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import ArticleStatus, CorrectionPosition
from articles.services import add_correction
from audit.models import AuditAction, AuditEntry
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

NOTE = "Une version précédente de cet article indiquait que le Forum se tenait en octobre."


def article_element(response):
    html = response.content.decode()
    return html[html.index("<article") :]


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_correction_is_shown_at_the_top_of_the_article(client, chief):
    article = make_article(body="<p>Corps.</p>")

    add_correction(article=article, note=NOTE, by=chief, published_at=datetime(2026, 11, 27, 9, tzinfo=UTC))

    html = article_element(client.get(article.get_absolute_url()))
    assert "Rectificatif du 27 novembre 2026" in html
    assert html.index(NOTE) < html.index("<p>Corps.</p>")


def test_correction_at_the_bottom_comes_after_the_body(client, chief):
    article = make_article(body="<p>Corps.</p>")

    add_correction(article=article, note=NOTE, by=chief, position=CorrectionPosition.BOTTOM)

    html = article_element(client.get(article.get_absolute_url()))
    assert html.index("<p>Corps.</p>") < html.index(NOTE)


def test_correction_is_in_the_news_article_json_ld(client, chief):
    article = make_article(published_at=datetime(2026, 11, 20, 9, tzinfo=UTC))

    add_correction(article=article, note=NOTE, by=chief, published_at=datetime(2026, 11, 27, 9, tzinfo=UTC))

    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": NOTE, "datePublished": "2026-11-27T10:00:00+01:00"}
    ]
    assert data["dateModified"] == "2026-11-27T10:00:00+01:00"


def test_an_article_without_correction_has_none_in_its_json_ld(client):
    article = make_article()

    assert "correction" not in json_ld(client.get(article.get_absolute_url()).content.decode())


def test_feeds_updated_date_is_the_correction_date(client, chief):
    article = make_article(published_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    add_correction(article=article, note=NOTE, by=chief, published_at=datetime(2026, 11, 27, 9, tzinfo=UTC))

    feed = feedparser.parse(client.get("/atom/").content)

    assert feed.entries[0].updated == "2026-11-27T09:00:00+00:00"


def test_corrections_page_lists_them_newest_first_with_their_article(client, chief):
    first, second = make_article(title="Premier"), make_article(title="Second")
    add_correction(article=first, note="Ancien.", by=chief, published_at=datetime(2026, 11, 1, tzinfo=UTC))
    add_correction(article=second, note="Récent.", by=chief, published_at=datetime(2026, 11, 2, tzinfo=UTC))

    response = client.get("/rectificatifs/")

    html = response.content.decode()
    assert html.index("Récent.") < html.index("Ancien.")
    assert f'href="{first.get_absolute_url()}"' in html
    assert "public" in response["Cache-Control"]


def test_corrections_of_an_unpublished_article_leave_the_page(client, chief):
    article = make_article(title="Retiré")
    add_correction(article=article, note="Note.", by=chief)
    article.status = ArticleStatus.DRAFT
    article.save()

    assert "Note." not in client.get("/rectificatifs/").content.decode()


@pytest.mark.parametrize("count", [1, 15])
def test_corrections_page_query_count_is_constant(client, chief, django_assert_num_queries, count):
    for _ in range(count):
        add_correction(article=make_article(), note="Note.", by=chief)

    with django_assert_num_queries(3):  # count, page with its articles, navigation
        client.get("/rectificatifs/")


def test_only_the_editor_in_chief_attaches_a_correction(writer):
    article = make_article()

    with pytest.raises(PermissionDenied):
        add_correction(article=article, note=NOTE, by=writer)


def test_a_draft_cannot_be_corrected(chief):
    with pytest.raises(ValidationError):
        add_correction(article=make_article(status=ArticleStatus.DRAFT), note=NOTE, by=chief)


def test_correction_is_recorded_in_the_journal(chief):
    article = make_article()

    add_correction(article=article, note=NOTE, by=chief)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (AuditAction.CORRECTION, chief, str(article.pk))


def test_chief_adds_a_correction_in_the_admin(client, chief):
    article = make_article()
    client.force_login(chief)

    form = client.get(f"/admin/articles/correction/add/?article={article.pk}")
    client.post(
        "/admin/articles/correction/add/",
        {
            "article": article.pk,
            "published_at_0": "27/11/2026",
            "published_at_1": "10:00:00",
            "position": "top",
            "note": NOTE,
        },
    )

    assert form.status_code == 200
    assert list(article.corrections.values_list("note", "created_by")) == [(NOTE, chief.pk)]


def test_writer_cannot_open_the_correction_form(client, writer):
    client.force_login(writer)

    assert client.get("/admin/articles/correction/add/").status_code == 403


def test_a_correction_changes_the_article_s_etag(client, chief):
    article = make_article()
    before = client.get(article.get_absolute_url())["ETag"]

    add_correction(article=article, note=NOTE, by=chief)

    assert client.get(article.get_absolute_url())["ETag"] != before


def test_only_the_chief_is_offered_to_add_a_correction_on_the_article_form(client, chief, writer):
    article = make_article()
    url = f"/admin/articles/article/{article.pk}/change/"

    client.force_login(chief)
    for_chief = client.get(url).content.decode()
    client.force_login(writer)
    for_writer = client.get(url).content.decode()

    assert f"/admin/articles/correction/add/?article={article.pk}" in for_chief
    assert "/admin/articles/correction/add/" not in for_writer
