"""The moderators' search (name or text containing the words typed) served by
trigram indexes on PostgreSQL, instead of reading a million comments.

Django's `icontains` is `UPPER(column) LIKE UPPER('%…%')`: GIN indexes of the
trigrams of UPPER(author_name) and UPPER(text) (extension pg_trgm) serve it
as they are. Where the database user may not create the extension the
migration says so and the search stays a scan. Nothing on SQLite.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = """
CREATE INDEX IF NOT EXISTS comment_name_trgm ON comments_comment USING gin (UPPER(author_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS comment_text_trgm ON comments_comment USING gin (UPPER(text) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS comment_name_trgm;
DROP INDEX IF EXISTS comment_text_trgm;
"""


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # noqa: BLE001 (any refusal: the search still works, by a scan)
            logger.warning("Extension pg_trgm indisponible (%s) : la recherche des modérateurs lira la table.", error)
            return
        cursor.execute(INDEXES)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_published_comment_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
