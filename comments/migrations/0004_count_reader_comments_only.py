# The heading « N commentaires » and « Sujets les + commentés » now count the
# same thing: published reader comments, without the newsroom's answers.

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def _recount(apps, *, with_replies):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    published = Comment.objects.filter(article=OuterRef("pk"), status="approved")
    if not with_replies:
        published = published.filter(is_newsroom_reply=False)
    total = published.order_by().values("article").annotate(total=Count("pk")).values("total")
    Article.objects.update(
        approved_comment_count=Coalesce(Subquery(total), 0)
    )


def count_readers_only(apps, schema_editor):
    _recount(apps, with_replies=False)


def count_with_replies(apps, schema_editor):
    _recount(apps, with_replies=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_daily_views"),
        ("comments", "0003_text_hash_and_word_list_targets"),
    ]

    operations = [migrations.RunPython(count_readers_only, count_with_replies)]
