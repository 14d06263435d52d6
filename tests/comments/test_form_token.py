"""The comment form of a cached page asks for fresh hidden fields when the
reader starts writing (static/js/comments.js), so that the minimum time
before sending is measured from then, however old the page."""

import time

import pytest

from comments.forms import sign_target
from comments.models import Comment
from tests.comments.factories import post_data
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_the_form_token_is_fresh_signed_and_never_cached(client, django_assert_num_queries):
    before = int(time.time())

    with django_assert_num_queries(0):
        response = client.get("/commentaires/jeton/42/")

    fields = response.json()
    assert fields["article"] == "42"
    assert before <= int(fields["timestamp"]) <= time.time()
    assert fields["security_hash"] == sign_target("42", fields["timestamp"])
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_a_form_sent_at_once_after_taking_a_fresh_token_is_refused_as_too_fast(client, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 3
    article = make_article()
    fresh = client.get(f"/commentaires/jeton/{article.pk}/").json()

    response = client.post("/commentaires/envoyer/", {**post_data(article, age=600), **fresh})

    assert response.status_code == 400
    assert "Vous avez envoyé le formulaire trop vite." in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_page_links_its_form_to_the_token_address(client):
    article = make_article()

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'data-token-url="/commentaires/jeton/{article.pk}/"' in page
