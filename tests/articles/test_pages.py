from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleStatus
from tests.conftest import make_article

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
