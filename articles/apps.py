from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.models import Article
        from newsroom import revisions
        from newsroom.groups import ensure_editorial_groups

        # Counters kept by the comments app are not the article's content.
        revisions.register(
            Article,
            # Derived and reader-side columns: not the article's content.
            exclude=["approved_comment_count", "comments_changed_at", "search_document", "search_text"],
        )

        post_migrate.connect(ensure_editorial_groups, dispatch_uid="newsroom.ensure_editorial_groups")
