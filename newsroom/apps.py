from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class NewsroomConfig(AppConfig):
    """The project itself: connects the cache invalidation to the writes that
    no service or `save()` sees.

    `Article.save()` and `Event.save()` call `newsroom.cache` themselves, and
    so do the comments services. Signals are used only where there is no
    such place: deletions (the admin's bulk delete never calls `delete()`),
    many-to-many changes made outside a form (`article.tags.add(…)`), and the
    reference data shown on many pages (sections, tags, authors, venues,
    speakers, programme lines), which the admin saves through generic forms.
    """

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.models import Article, Author, Section, Tag
        from events.models import (
            Event,
            EventOrganiser,
            EventSeries,
            Organisation,
            Participation,
            Person,
            ProgrammeItem,
            Venue,
        )
        from newsroom import cache

        def article_deleted(sender, instance, **kwargs):
            cache.article_deleted(instance)

        def everything_changed(sender, created=False, **kwargs):
            if sender is Section or not created:  # a new tag or author shows nowhere yet
                cache.everything_changed()

        def events_changed(sender, **kwargs):
            cache.events_changed()

        def article_links_changed(sender, instance, action, reverse, **kwargs):
            """Tags or authors added to or removed from an article outside a form."""
            if reverse:  # tag.articles.add(…): rare enough to drop everything
                if action.startswith("post_"):
                    cache.everything_changed()
            elif action.startswith("pre_"):
                instance._pages_before_links = cache.ArticleState(instance)
            else:
                cache.article_changed(instance, before=getattr(instance, "_pages_before_links", None))

        def event_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
            """Articles added to or removed from an event outside a form."""
            if not action.startswith("post_"):
                return
            if reverse:  # article.events.add(…): pk_set holds events
                cache.events_changed()
                for event_id in pk_set or ():
                    cache.event_changed(Event(pk=event_id))
            else:
                cache.event_changed(instance)

        pre_delete.connect(article_deleted, sender=Article, dispatch_uid="newsroom.cache.article")
        pre_delete.connect(events_changed, sender=Event, dispatch_uid="newsroom.cache.event")
        for model in (Section, Tag, Author):
            post_save.connect(
                everything_changed, sender=model, dispatch_uid=f"newsroom.cache.{model.__name__}"
            )
            post_delete.connect(
                everything_changed, sender=model, dispatch_uid=f"newsroom.cache.d{model.__name__}"
            )
        for model in (Venue, Organisation, Person, EventSeries, ProgrammeItem, Participation, EventOrganiser):
            post_save.connect(events_changed, sender=model, dispatch_uid=f"newsroom.cache.{model.__name__}")
            post_delete.connect(
                events_changed, sender=model, dispatch_uid=f"newsroom.cache.d{model.__name__}"
            )
        for through in (Article.tags.through, Article.authors.through):
            m2m_changed.connect(
                article_links_changed, sender=through, dispatch_uid=f"newsroom.cache.{through}"
            )
        m2m_changed.connect(
            event_links_changed, sender=Event.related_articles.through, dispatch_uid="newsroom.cache.links"
        )


class TasksConfig(TasksAppConfig):
    """django-tasks-db, named « File de tâches » in the admin (the package
    calls it « Tasks Database Backend »). Once every app is ready, the admin
    screens Django and the package leave in English are replaced by French
    ones (newsroom/admin_french.py)."""

    verbose_name = _("File de tâches")

    def ready(self):
        super().ready()
        # The admin app, listed first, has imported the package's admin by now.
        from newsroom import admin_french

        admin_french.localise_admin()
