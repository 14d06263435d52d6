"""Media on object storage (issue 13): the image pipeline through
django-storages' S3 backend, against moto's in-process S3.

Uploads, the clean picture, renditions and deletions all go through the
storage API: nothing is written under MEDIA_ROOT, and the addresses given
to readers are the public ones (MEDIA_PUBLIC_URL). The running stack does
the same with moto's standalone server and two app servers
(tests/stack/test_stack.py).
"""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto import mock_aws

from articles.images import rendition_url
from articles.models import Article
from articles.tasks import process_image
from tests.articles.factories import make_upload
from tests.conftest import committed, make_article

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"


@pytest.fixture
def bucket(settings):
    """The media storage of production settings, on moto's S3."""
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "newsroom.storage.MediaStorage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "default_acl": "public-read",
                    "region_name": "eu-west-3",
                    "access_key": "test",
                    "secret_key": "test",
                    "file_overwrite": True,
                    "custom_domain": "media.example.org",
                    "url_protocol": "https:",
                    "querystring_auth": False,
                },
            },
        }
        yield client


def stored_keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_upload_ends_as_a_clean_photo_and_renditions_in_the_bucket_only(bucket, settings):
    article = make_article(image=make_upload(width=1000, height=600))

    assert article.image_processing == {}
    assert stored_keys(bucket) == sorted([article.image.name, *(r["name"] for r in article.image_renditions)])
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))
    assert rendition_url(article.image_renditions[0]) == (
        f"https://media.example.org/{article.image_renditions[0]['name']}"
    )


def test_running_the_image_task_twice_changes_nothing(bucket):
    article = make_article()
    with committed():
        article.image = make_upload(width=1000, height=600)
        article.save()
        upload = article.image_processing["upload"]
    article = Article.objects.get(pk=article.pk)
    keys = stored_keys(bucket)

    # As if the worker died after finishing, before marking the task done: it runs again.
    outcome = process_image.call(label="articles.Article", pk=article.pk, field_name="image", upload=upload)

    assert outcome == "superseded"
    assert stored_keys(bucket) == keys
    assert Article.objects.get(pk=article.pk).image.name == article.image.name


def test_a_removed_photo_is_deleted_from_the_bucket(bucket):
    article = make_article(image=make_upload(width=1000, height=600))

    with committed():
        article.image = None
        article.save()

    assert stored_keys(bucket) == []


def public_read(client, key):
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return any(grant["Grantee"].get("URI", "").endswith("/global/AllUsers") for grant in grants)


def test_raw_uploads_are_private_and_pictures_public(bucket):
    raw = default_storage.save("articles/incoming/0123456789abcdef.jpg", ContentFile(b"raw"))
    picture = default_storage.save("articles/2026/11/0123456789abcdef-480w.webp", ContentFile(b"clean"))

    assert (public_read(bucket, raw), public_read(bucket, picture)) == (False, True)
    assert bucket.head_object(Bucket=BUCKET, Key=raw)["CacheControl"] == "private, no-store"
