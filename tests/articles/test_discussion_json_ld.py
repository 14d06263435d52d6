"""The NewsArticle JSON-LD tells search engines about the discussion and the photo's credit."""

import pytest

from tests.articles.factories import make_image_file
from tests.comments.factories import make_approved_comment, make_comment
from tests.conftest import json_ld, make_article

pytestmark = pytest.mark.django_db


def test_comment_count_is_the_number_of_published_comments(client):
    article = make_article(slug="numerique")
    make_approved_comment(article=article)
    make_approved_comment(article=article)
    make_comment(article=article)  # pending: not public, not counted

    data = json_ld(client.get(article.get_absolute_url()))

    assert data["commentCount"] == 2
    assert data["discussionUrl"] == "http://127.0.0.1:8000/articles/numerique/#commentaires"


def test_photo_is_described_with_its_caption_and_credit(client):
    article = make_article(
        image=make_image_file(size=(1600, 900)),
        image_alt="Marseille la nuit",
        image_caption="Illustration de démonstration.",
        image_credit="Schneider Electric",
    )

    (image,) = json_ld(client.get(article.get_absolute_url()))["image"]

    assert {key: image[key] for key in ("@type", "width", "height", "caption", "creditText")} == {
        "@type": "ImageObject",
        "width": 1600,
        "height": 900,
        "caption": "Illustration de démonstration.",
        "creditText": "Schneider Electric",
    }
