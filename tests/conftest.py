"""Shared fixtures and small `make_*` factories for the whole suite."""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from articles.models import Article, ArticleStatus, Author, Section

_counter = itertools.count(1)


def committed():
    """Run what waits for the commit (storing an upload, then the image
    pipeline's task with the immediate backend) as a real commit would:
    tests run inside a transaction that is never committed."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploaded files go to a temporary folder; every test starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def make_section(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Rubrique {n}")
    fields.setdefault("slug", f"rubrique-{n}")
    return Section.objects.create(**fields)


def make_author(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Auteur {n}")
    fields.setdefault("slug", f"auteur-{n}")
    return Author.objects.create(**fields)


def make_article(*, authors=None, tags=None, **fields):
    """A published article (one hour ago) unless told otherwise. A photo goes
    through the image pipeline as on a real commit (see `committed`)."""
    n = next(_counter)
    fields.setdefault("title", f"Article numéro {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("standfirst", f"Chapô de l'article {n}.")
    fields.setdefault("body", f"<p>Corps de l'article {n}.</p>")
    fields.setdefault("status", ArticleStatus.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "section" not in fields:
        fields["section"] = make_section()
    with committed():
        article = Article.objects.create(**fields)
    if "image" in fields:
        article.refresh_from_db()
    article.authors.set(authors if authors is not None else [make_author()])
    if tags:
        article.tags.set(tags)
    return article


def make_articles(count, **fields):
    section = fields.pop("section", None) or make_section()
    author = make_author()
    return [make_article(section=section, authors=[author], **fields) for _ in range(count)]


def make_staff(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, password=f"motdepasse-{username}", is_staff=True)
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


@pytest.fixture
def editor(django_user_model):
    """The editorial desk as the first version knew it: « Rédaction », which
    publishes since it is also in « Rédaction en chef »."""
    return make_staff(django_user_model, "editrice", "Rédaction", "Rédaction en chef")


@pytest.fixture
def writer(django_user_model):
    """« Rédacteur »: writes and submits for review, never publishes."""
    return make_staff(django_user_model, "redactrice", "Rédacteur")


@pytest.fixture
def chief(django_user_model):
    """« Rédaction en chef »: publishes, corrects, reads the journal."""
    return make_staff(django_user_model, "cheffe", "Rédaction en chef")


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", password="motdepasse-moderatrice", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name="Modération")[0])
    return user
