"""One image pipeline, off the request, for every picture of the site (issue 9, items 12 and 13)."""

import html
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from PIL import ExifTags, Image

from articles.images import ImageSpec, render_image
from articles.models import Article
from articles.tasks import process_image
from events.models import Event, Organisation, Person
from tests.articles.factories import camera_exif, make_image_bytes, make_upload
from tests.conftest import committed, make_article, make_author, make_section
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^[a-z/]+/\d{4}/\d{2}/[0-9a-f]{32}(-\d+w)?\.(jpg|png|webp)$")


def stored_files():
    """Every file in the media storage, walked through the storage API."""

    def walk(folder):
        folders, files = default_storage.listdir(folder) if default_storage.exists(folder) else ([], [])
        for name in files:
            yield f"{folder}/{name}" if folder else name
        for sub in folders:
            yield from walk(f"{folder}/{sub}" if folder else sub)

    return sorted(walk(""))


def served_files(instance, field="image"):
    names = [getattr(instance, field).name] + [r["name"] for r in getattr(instance, f"{field}_renditions")]
    return [default_storage.open(name).read() for name in names]


def spy_photo(width=1600, height=1200, *, image_format="JPEG"):
    """A phone photo: camera make, GPS position and a comment hiding a script."""
    image = Image.new("RGB", (width, height), (120, 160, 200))
    buffer = io.BytesIO()
    options = {"exif": camera_exif()}
    if image_format == "JPEG":
        options["comment"] = b"<?php system($_GET['c']); ?><script>alert(1)</script>"
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def admin_add_article(client, **fields):
    section, author = make_section(), make_author()
    data = {
        "title": "Le port accélère",
        "slug": "le-port-accelere",
        "standfirst": "Chapô.",
        "body": "<p>Texte</p>",
        "section": section.pk,
        "authors": [author.pk],
        "status": "draft",
        "comments_enabled": "on",
        "image_alt": "Les quais",
        "image_credit": "AFP",
        **fields,
    }
    return client.post("/admin/articles/article/add/", data)


# --- 12. Off the request --------------------------------------------------------------------------


def test_the_editors_request_stores_nothing_and_shows_the_photo_as_being_processed(client, editor):
    client.force_login(editor)

    with transaction.atomic():  # the upload waits for the commit; here it never comes
        response = admin_add_article(client, image=make_upload("photo.jpg", spy_photo()))
        article = Article.objects.get(slug="le-port-accelere")
        change_page = html.unescape(
            client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
        )
        transaction.set_rollback(True)

    assert response.status_code == 302
    assert not article.image
    assert article.image_processing["state"] == "processing"
    assert "Nouvelle image en cours de traitement" in change_page
    assert stored_files() == []


def test_after_commit_the_task_makes_the_clean_photo_and_its_renditions(client, editor):
    client.force_login(editor)

    with committed():
        admin_add_article(client, image=make_upload("photo.jpg", spy_photo()))

    article = Article.objects.get(slug="le-port-accelere")
    assert article.image_processing == {}
    assert (article.image_width, article.image_height) == (1600, 1200)
    assert sorted((r["format"], r["width"]) for r in article.image_renditions) == [
        ("jpeg", 480),
        ("jpeg", 800),
        ("jpeg", 1200),
        ("jpeg", 1600),
        ("webp", 480),
        ("webp", 800),
        ("webp", 1200),
        ("webp", 1600),
    ]
    assert stored_files() == sorted([article.image.name, *(r["name"] for r in article.image_renditions)])


def test_while_a_new_photo_is_processed_readers_keep_seeing_the_previous_one(client):
    article = make_article(image=make_upload(width=900, height=600), image_alt="Avant", image_credit="AFP")
    previous = article.image.name

    with transaction.atomic():
        article.image = make_upload(width=1000, height=500)
        article.save()
        page = client.get(article.get_absolute_url()).content.decode()
        transaction.set_rollback(True)

    assert previous.removesuffix(".jpg") in page
    assert "incoming" not in page


def test_a_replaced_photo_leaves_only_the_new_files(client):
    article = make_article(image=make_upload(width=900, height=600), image_alt="Avant", image_credit="AFP")

    article.image = make_upload(width=1000, height=500)
    with committed():
        article.save()

    article.refresh_from_db()
    assert (article.image_width, article.image_height) == (1000, 500)
    assert stored_files() == sorted([article.image.name, *(r["name"] for r in article.image_renditions)])


def test_a_save_that_fails_leaves_no_file(editor):
    article = make_article()

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        article.image = make_upload(width=900, height=600)
        article.save()
        raise RuntimeError("la base refuse l'enregistrement")

    assert stored_files() == []


def test_stored_names_are_random_and_never_the_uploaded_name():
    article = make_article(
        image=make_upload("maison-de-jean-dupont.jpg", width=900, height=600), image_alt="x", image_credit="y"
    )

    names = [article.image.name, *(r["name"] for r in article.image_renditions)]
    assert all(RANDOM_NAME.match(name) for name in names), names
    assert not any("dupont" in name for name in stored_files())


def test_the_newest_upload_wins_when_two_are_processed_out_of_order():
    article = make_article()
    article.image = make_upload(width=700, height=500)
    with committed() as first, transaction.atomic():
        article.save()
        first_upload = article.image_processing["upload"]
        article.image = make_upload(width=900, height=500)
        article.save()
    # The first upload's task, late: the row waits for another one.
    outcome = process_image.call(
        label="articles.Article", pk=article.pk, field_name="image", upload=first_upload
    )

    article.refresh_from_db()
    assert len(first) == 2
    assert outcome == "superseded"
    assert article.image_width == 900
    assert stored_files() == sorted([article.image.name, *(r["name"] for r in article.image_renditions)])


def test_a_broken_upload_found_by_the_task_is_reported_to_the_editor_and_leaves_no_file(client, editor):
    webp = make_image_bytes(800, 600, image_format="WEBP")
    article = make_article(
        image=make_upload("coupee.webp", webp[: len(webp) // 3], "image/webp"),
        image_alt="x",
        image_credit="y",
    )
    client.force_login(editor)

    page = html.unescape(client.get(f"/admin/articles/article/{article.pk}/change/").content.decode())

    assert not article.image
    assert article.image_processing["state"] == "failed"
    assert (
        "La dernière image envoyée n'a pas pu être traitée : Ce fichier n'est pas une image lisible. "
        "Envoyez une photo JPEG, PNG ou WebP." in page
    )
    assert stored_files() == []


def test_deleting_an_article_deletes_its_files():
    article = make_article(image=make_upload(width=900, height=600), image_alt="x", image_credit="y")

    with committed():
        article.delete()

    assert stored_files() == []


def test_a_huge_photo_is_decoded_scaled_down_and_served_at_2560_pixels_at_most():
    spec = ImageSpec(folder="articles")
    # 8000 × 5000 = 40 megapixels, in a JPEG the decoder can scale while decoding.
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 5000), (10, 20, 30)).save(buffer, "JPEG", quality=60)

    rendered = render_image(buffer, spec)

    assert (rendered.width, rendered.height) == (2560, 1600)
    assert Image.open(io.BytesIO(rendered.original)).size == (2560, 1600)


# --- 13. Event photos, logos and portraits: the same pipeline ----------------------------------------


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        ("/admin/events/organisation/add/", "logo", {"name": "Ville de Marseille", "website": ""}),
        ("/admin/events/person/add/", "photo", {"name": "Daniel Sperling", "job_title": "", "bio": ""}),
    ],
)
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            ("bombe.png", "PNG", (10000, 10000)),
            "La photo est bien trop grande : 40 mégapixels au plus, merci de la réduire.",
        ),
        (("script.gif", "GIF", (20, 20)), "Le format GIF n'est pas accepté."),
    ],
)
def test_logos_and_portraits_get_the_same_checks_as_article_photos(
    client, editor, url, field, data, upload, message
):
    name, image_format, size = upload
    buffer = io.BytesIO()
    options = {"comment": b"<?php system($_GET['c']); ?>"} if image_format == "GIF" else {}
    Image.new("1" if image_format == "PNG" else "P", size).save(buffer, image_format, **options)
    client.force_login(editor)

    page = client.post(
        url, {**data, field: make_upload(name, buffer.getvalue(), f"image/{image_format.lower()}")}
    )

    assert page.status_code == 200
    assert message in html.unescape(page.content.decode())
    assert not Organisation.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    ("model", "field", "make"),
    [
        (Event, "image", lambda upload: make_event(image=upload, image_alt="La salle", image_credit="AFP")),
        (Organisation, "logo", lambda upload: Organisation.objects.create(name="Métropole", logo=upload)),
        (Person, "photo", lambda upload: Person.objects.create(name="Lluis Sanz Marco", photo=upload)),
    ],
)
def test_event_photos_logos_and_portraits_are_served_without_gps_camera_or_comment(model, field, make):
    with committed():
        instance = make(make_upload("IMG_0042.jpg", spy_photo()))

    instance.refresh_from_db()
    files = served_files(instance, field)
    assert len(files) >= 3
    for data in files:
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in exif
        assert b"Canon" not in data and b"<?php" not in data and b"<script" not in data
    assert all(RANDOM_NAME.match(name) for name in [getattr(instance, field).name])


def test_the_event_page_shows_the_clean_renditions_only(client):
    with committed():
        event = make_event(
            image=make_upload("IMG_0042.jpg", spy_photo()), image_alt="La salle", image_credit="AFP"
        )
    event.refresh_from_db()

    page = client.get(event.get_absolute_url()).content.decode()

    assert '<source type="image/webp"' in page
    assert event.image_renditions[0]["name"] in page
    assert "IMG_0042" not in page


def test_a_logo_keeps_its_transparency_in_png_renditions():
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 300), (200, 0, 0, 0)).save(buffer, "PNG")
    with committed():
        organisation = Organisation.objects.create(
            name="La Tribune", logo=make_upload("logo.png", buffer.getvalue(), "image/png")
        )
    organisation.refresh_from_db()

    formats = sorted((r["format"], r["width"]) for r in organisation.logo_renditions)
    fallback = next(r for r in organisation.logo_renditions if r["format"] == "png")

    assert formats == [("png", 160), ("png", 320), ("webp", 160), ("webp", 320)]
    assert Image.open(default_storage.open(fallback["name"])).mode == "RGBA"


def test_pictures_stored_before_the_pipeline_are_processed_by_the_command():
    with committed():
        organisation = Organisation.objects.create(name="Ancienne")
    # As the migration leaves an old, never-cleaned logo: waiting for the pipeline.
    old_name = default_storage.save("events/logos/ancien-logo.jpg", io.BytesIO(spy_photo(400, 200)))
    Organisation.objects.filter(pk=organisation.pk).update(
        logo_processing={"state": "processing", "upload": old_name}
    )

    with committed():
        call_command("process_images", stdout=io.StringIO())

    organisation.refresh_from_db()
    assert organisation.logo and organisation.logo_processing == {}
    assert not default_storage.exists(old_name)
    assert b"Canon" not in default_storage.open(organisation.logo.name).read()


def test_an_upload_lost_before_processing_is_reported_instead_of_waiting_forever():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        image_processing={"state": "processing", "upload": "articles/incoming/perdu.jpg"}
    )

    outcome = process_image.call(
        label="articles.Article", pk=article.pk, field_name="image", upload="articles/incoming/perdu.jpg"
    )

    article.refresh_from_db()
    assert outcome == "failed"
    assert article.image_error() == (
        "La dernière image envoyée n'a pas pu être traitée : "
        "le fichier envoyé n'a pas été retrouvé, envoyez-le à nouveau."
    )
