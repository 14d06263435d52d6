"""Factories for the articles tests: tags, reads and real images made with Pillow."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from articles.models import ArticleDailyView, Tag

_counter = itertools.count(1)


def make_tag(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Mot-clé {n}")
    fields.setdefault("slug", f"mot-cle-{n}")
    return Tag.objects.create(**fields)


def make_image_file(name="photo.jpg", size=(1200, 800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_reads(article, count, day):
    return ArticleDailyView.objects.create(article=article, day=day, count=count)


def make_image_bytes(width=1000, height=600, *, image_format="JPEG", color=(200, 80, 40), exif=None):
    image = Image.new("RGB", (width, height), color)
    # A darker left half, so that a rotation can be seen in the pixels.
    image.paste((20, 20, 20), (0, 0, width // 2, height))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def camera_exif(*, orientation=1):
    """EXIF as a phone writes it: camera make, orientation and a GPS position (Marseille)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (43.0, 17.0, 48.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (5.0, 22.0, 12.0),
        }
    )
    return exif


def make_upload(name="photo.jpg", content=None, content_type="image/jpeg", **image_options):
    if content is None:
        content = make_image_bytes(**image_options)
    return SimpleUploadedFile(name, content, content_type=content_type)
