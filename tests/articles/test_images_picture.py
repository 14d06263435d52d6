import re

import pytest
from django.template.loader import render_to_string

from tests.articles.factories import make_upload
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def _article_with_photo(**fields):
    return make_article(
        image=make_upload(width=1300, height=650),
        image_alt="Le port de Marseille au lever du jour",
        image_caption="Les quais électrifiés.",
        image_credit="Schneider Electric",
        **fields,
    )


def test_picture_offers_webp_and_jpeg_renditions_with_sizes():
    article = _article_with_photo()

    html = render_to_string(
        "articles/_picture.html", {"article": article, "sizes": "(min-width: 992px) 760px, 100vw"}
    )

    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', html)
    assert [candidate.split()[1] for candidate in webp.group(1).split(", ")] == ["480w", "800w", "1200w"]
    assert all(candidate.split()[0].endswith(".webp") for candidate in webp.group(1).split(", "))
    assert webp.group(2) == "(min-width: 992px) 760px, 100vw"
    img = re.search(r"<img [^>]+>", html).group(0)
    assert re.search(r'srcset="[^"]+-480w\.jpg 480w, [^"]+-800w\.jpg 800w, [^"]+-1200w\.jpg 1200w"', img)
    assert 'width="1300" height="650"' in img
    assert 'alt="Le port de Marseille au lever du jour"' in img
    assert 'loading="lazy"' in img


def test_moving_the_media_to_another_host_needs_no_change_to_stored_photos(settings):
    article = _article_with_photo()
    settings.MEDIA_URL = "https://images.example.org/media/"

    html = render_to_string("articles/_picture.html", {"article": article})

    addresses = re.findall(r'(?:src|srcset)="([^" ]+)', html)
    assert len(addresses) == 3
    assert all(address.startswith("https://images.example.org/media/articles/") for address in addresses)


def test_picture_shows_caption_and_credit():
    article = _article_with_photo()

    html = render_to_string("articles/_picture.html", {"article": article})

    assert "Les quais électrifiés." in html
    assert "Crédits : Schneider Electric" in html


def test_hero_picture_is_not_lazy():
    article = _article_with_photo()

    html = render_to_string("articles/_picture.html", {"article": article, "eager": True})

    assert "loading=" not in html


def test_article_without_photo_shows_no_figure():
    article = make_article()

    assert render_to_string("articles/_picture.html", {"article": article}).strip() == ""
