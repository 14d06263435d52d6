"""Shared fixtures and small `make_*` factories for the whole suite."""

import html as html_lib
import itertools
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, ArticleStatus, Author, Section

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploaded files go to a temporary folder; every test starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def plain(content):
    """A page (a response or its HTML) with its French typography undone:
    no-break spaces read as spaces and ’ as ', so that tests quote the French
    they expect as it is typed. Typography itself is tested in
    tests/test_typography.py."""
    if hasattr(content, "content"):
        content = content.content.decode()
    return content.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")


def page_text(response):
    """The page as a reader reads it: head, scripts and tags removed, spaces
    collapsed, typography undone (see `plain`)."""
    html = plain(response)
    html = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", html, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).replace(" ,", ",").strip()


def json_ld(response):
    """The first JSON-LD document of a page."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


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
    """A published article (one hour ago) unless told otherwise."""
    n = next(_counter)
    fields.setdefault("title", f"Article numéro {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("standfirst", f"Chapô de l'article {n}.")
    fields.setdefault("body", f"<p>Corps de l'article {n}.</p>")
    fields.setdefault("status", ArticleStatus.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(**fields)
    article.authors.set(authors if authors is not None else [make_author()])
    if tags:
        article.tags.set(tags)
    return article


def make_articles(count, **fields):
    section = fields.pop("section", None) or make_section()
    author = make_author()
    return [make_article(section=section, authors=[author], **fields) for _ in range(count)]


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editrice", password="motdepasse-editrice", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Rédaction")[0])
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", password="motdepasse-moderatrice", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name="Modération")[0])
    return user
