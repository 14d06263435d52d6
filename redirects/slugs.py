"""Old addresses keep answering when a public slug changes.

The models whose address readers may have shared (article, section, tag,
author, event) are followed here, whatever path saves them (admin form,
service, shell): the slug read from the database is remembered on load, and
a save that changes it creates the redirects, in the same transaction. The
articles and events apps know nothing of this (signals connect things that
must not know about each other).
"""

from django.db.models.signals import post_init, post_save, pre_save
from django.urls import reverse

from newsroom.revisions import current_user


def _always_public(instance):
    return True


def _published(instance):
    return instance.is_published


def followed_models():
    """Model → (URL names that take the slug, whether the address is public)."""
    from articles.models import Article, Author, Section, Tag
    from events.models import Event

    return {
        Article: (["articles:detail"], _published),
        Section: (["articles:section", "articles:section_rss", "articles:section_atom"], _always_public),
        Tag: (["articles:tag"], _always_public),
        Author: (["articles:author"], _always_public),
        Event: (["events:detail", "events:ics"], _published),
    }


def _remember(sender, instance, **kwargs):
    instance._loaded_slug = instance.__dict__.get("slug")


def _detect_change(sender, instance, **kwargs):
    loaded = getattr(instance, "_loaded_slug", None)
    url_names, is_public = followed_models()[sender]
    instance._slug_moves = []
    if instance.pk is None or not loaded or loaded == instance.slug or not is_public(instance):
        return
    instance._slug_moves = [
        (reverse(name, kwargs={"slug": loaded}), reverse(name, kwargs={"slug": instance.slug}))
        for name in url_names
    ]


def _create_redirects(sender, instance, **kwargs):
    from redirects.models import RedirectKind
    from redirects.services import create_redirect

    for index, (old_path, new_path) in enumerate(getattr(instance, "_slug_moves", [])):
        create_redirect(
            old_path=old_path,
            new_path=new_path,
            by=current_user(),
            kind=RedirectKind.SLUG_CHANGE,
            obj=instance,
            record=index == 0,
        )
    instance._slug_moves = []
    instance._loaded_slug = instance.slug


def connect():
    for model in followed_models():
        post_init.connect(_remember, sender=model, dispatch_uid=f"redirects.remember.{model._meta.label}")
        pre_save.connect(_detect_change, sender=model, dispatch_uid=f"redirects.detect.{model._meta.label}")
        post_save.connect(
            _create_redirects, sender=model, dispatch_uid=f"redirects.create.{model._meta.label}"
        )
