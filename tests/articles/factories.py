"""Factories for the reader side of articles (tags, pictures, reads)."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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
