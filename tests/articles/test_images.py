import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from articles.forms import ImageUploadField
from tests.articles.factories import camera_exif, make_image_bytes, make_upload
from tests.conftest import committed, make_article

pytestmark = pytest.mark.django_db


def _stored_image(name):
    with default_storage.open(name) as stored:
        return Image.open(io.BytesIO(stored.read()))


def test_saved_photo_loses_exif_and_gps():
    article = make_article(image=make_upload(exif=camera_exif()), image_alt="Le port", image_credit="AFP")

    stored = _stored_image(article.image.name)

    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Canon" not in default_storage.open(article.image.name).read()


def test_saved_photo_is_turned_upright_from_its_exif_orientation():
    # Orientation 6: the camera was turned, the photo must be rotated 90°.
    article = make_article(
        image=make_upload(width=1000, height=600, exif=camera_exif(orientation=6)),
        image_alt="Le port",
        image_credit="AFP",
    )

    stored = _stored_image(article.image.name)

    assert stored.size == (600, 1000)
    assert (article.image_width, article.image_height) == (600, 1000)


def test_renditions_are_made_at_the_standard_widths_not_above_the_original():
    article = make_article(image=make_upload(width=1300, height=650), image_alt="Le port", image_credit="AFP")

    made = sorted((r["format"], r["width"], r["height"]) for r in article.image_renditions)

    assert made == [
        ("jpeg", 480, 240),
        ("jpeg", 800, 400),
        ("jpeg", 1200, 600),
        ("webp", 480, 240),
        ("webp", 800, 400),
        ("webp", 1200, 600),
    ]


def test_renditions_are_real_files_in_their_format():
    article = make_article(image=make_upload(width=900, height=600), image_alt="Le port", image_credit="AFP")

    formats = {(r["width"], _stored_image(r["name"]).format) for r in article.image_renditions}

    assert formats == {
        (480, "JPEG"),
        (480, "WEBP"),
        (800, "JPEG"),
        (800, "WEBP"),
    }
    assert all(r["name"].startswith("articles/") for r in article.image_renditions)


def test_a_small_photo_gets_one_rendition_per_format_at_its_own_width():
    article = make_article(image=make_upload(width=300, height=200), image_alt="Le port", image_credit="AFP")

    assert sorted((r["format"], r["width"]) for r in article.image_renditions) == [
        ("jpeg", 300),
        ("webp", 300),
    ]


def test_stored_photo_name_follows_its_real_format():
    png = make_image_bytes(600, 400, image_format="PNG")

    article = make_article(
        image=make_upload("photo.jpg", png, "image/jpeg"), image_alt="Le port", image_credit="AFP"
    )

    assert article.image.name.endswith(".png")
    assert _stored_image(article.image.name).format == "PNG"


def test_renditions_stop_at_1600_pixels_for_a_large_photo():
    article = make_article(
        image=make_upload(width=2400, height=1200), image_alt="Le port", image_credit="AFP"
    )

    assert sorted({r["width"] for r in article.image_renditions}) == [480, 800, 1200, 1600]


def test_renditions_are_not_remade_when_the_article_is_saved_again():
    article = make_article(image=make_upload(width=900, height=600), image_alt="Le port", image_credit="AFP")
    renditions = list(article.image_renditions)

    article.title = "Nouveau titre"
    article.save()

    article.refresh_from_db()
    assert article.image_renditions == renditions


def test_removing_the_photo_removes_its_renditions():
    article = make_article(image=make_upload(width=900, height=600), image_alt="Le port", image_credit="AFP")
    names = [r["name"] for r in article.image_renditions]

    article.image = None
    with committed():
        article.save()

    assert article.image_renditions == []
    assert not any(default_storage.exists(name) for name in names)


def _clean(upload):
    return ImageUploadField(required=False).clean(upload)


def test_photo_over_40_megapixels_is_refused_with_a_french_message():
    # 8000 × 5001 = 40 008 000 pixels, a real image (1 bit per pixel keeps it light).
    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, "PNG")

    with pytest.raises(ValidationError) as error:
        _clean(make_upload("immense.png", buffer.getvalue(), "image/png"))

    assert error.value.messages == [
        "La photo mesure 8000 × 5001 pixels (40,0 mégapixels) : 40 mégapixels au plus, merci de la réduire."
    ]


def test_pixel_cap_is_checked_before_the_image_is_decoded():
    # The header claims 9000 × 9000 but no pixel data follows: decoding
    # would fail, so refusing for the size proves the header was read first.
    header = make_image_bytes(9000, 9000, image_format="PNG")[:200]

    with pytest.raises(ValidationError) as error:
        _clean(make_upload("entete.png", header, "image/png"))

    assert error.value.code == "too_many_pixels"


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        _clean(make_upload("photo.jpg", b"%PDF-1.4 pas une image", "image/jpeg"))

    assert error.value.messages == [
        "Ce fichier n'est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP."
    ]


def test_a_gif_is_refused():
    with pytest.raises(ValidationError) as error:
        _clean(make_upload("anim.gif", make_image_bytes(20, 20, image_format="GIF"), "image/gif"))

    assert error.value.messages == ["Le format GIF n'est pas accepté. Envoyez une photo JPEG, PNG ou WebP."]


def test_a_truncated_image_is_refused():
    content = make_image_bytes(800, 600)

    with pytest.raises(ValidationError) as error:
        _clean(make_upload("coupee.jpg", content[: len(content) // 2]))

    assert error.value.code == "broken"


def test_a_file_over_10_megabytes_is_refused(settings):
    content = make_image_bytes(50, 50) + b"\0" * (10 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        _clean(make_upload("lourde.jpg", content))

    assert error.value.messages == ["La photo pèse 10,0 Mo : 10 Mo au plus, merci de la réduire."]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(image_format):
    upload = make_upload("photo", make_image_bytes(60, 40, image_format=image_format))

    assert _clean(upload) is upload
