"""Full-text search over published articles, ignoring accents and case.

PostgreSQL: each article carries a stored search document
(`Article.search_document`, a `tsvector`) with the title weighted above the
standfirst above the body, built with the `french_unaccent` text search
configuration (French stemming and stop words, accents removed by the
`unaccent` extension) and GIN-indexed. A database trigger rebuilds it whenever
the title, standfirst or body is written, whatever the path (`save()`,
`bulk_create`, a queryset `.update()`, raw SQL), so it is never stale. See
migration `articles.0006_search_document_and_listing_index`.

SQLite (the embedded default): `Article.search_text` holds the same three
fields lowercased, without accents or markup, as space-separated words; the
model keeps it up to date on every write path (see `ArticleQuerySet`).
Each word of the query must start a word of the article, a final « s » or
« x » ignored, so « metropoles », « MÉTROPOLES » and « Métropole » find
« métropoles ».

On both, the results are the `MAX_RESULTS` most recent matches, best first
(PostgreSQL ranks them, SQLite keeps them newest first): the count never
reads more than `MAX_RESULTS` rows, however common the word, and a reader who
needs more refines the query (see README, « Performance at scale »).
"""

import html
import re
import unicodedata
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 300
MAX_SQLITE_WORDS = 10
SEARCH_CONFIG = "french_unaccent"
SEARCHED_FIELDS = ("title", "standfirst", "body")

_TAG = re.compile(r"<[^>]*>")
_NOT_A_WORD_CHARACTER = re.compile(r"[\W_]+")


def clean_query(raw) -> str:
    """What we search for: without NUL or control characters, spaces
    collapsed, at most MAX_QUERY_LENGTH characters."""
    text = "".join(char if char.isprintable() else " " for char in str(raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def fold(text: str) -> str:
    """`text` as lowercase words without accents, punctuation or HTML tags,
    separated by single spaces: « L’Hydrogène à <b>Fos</b> » → « l hydrogene a fos »."""
    text = html.unescape(_TAG.sub(" ", text or ""))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_A_WORD_CHARACTER.sub(" ", without_accents).split())


def search_text_for(*, title: str, standfirst: str, body: str) -> str:
    """The stored SQLite search text of an article: its words framed by
    spaces, so that « starts a word » is a plain `LIKE '% word%'`."""
    return f" {fold(title)} {fold(standfirst)} {fold(body)} "


def sqlite_query_words(query: str) -> list[str]:
    """The words an SQLite search looks for: folded, one-letter words
    (« l' », « d' ») dropped, a plural « s » or « x » taken off."""
    words = []
    for word in fold(query).split():
        if len(word) < 2:
            continue
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words[:MAX_SQLITE_WORDS]


class SearchResults(NamedTuple):
    articles: object  # the queryset, best match first
    count: int  # how many (at most MAX_RESULTS): no need to count them again
    capped: bool  # more than MAX_RESULTS articles match: these are the newest MAX_RESULTS


def search_articles(queryset, query: str, *, as_you_type=False) -> SearchResults:
    """`queryset` filtered on `query` (already cleaned), best match first, at
    most MAX_RESULTS articles. Runs one query (the matching ids) at once.
    `as_you_type` (the admin's search and autocompletes) takes every word as
    the beginning of a word: « métro » finds « Métropole »."""
    if connections[queryset.db].vendor == "postgresql":
        if as_you_type:
            words = fold(query).split()[:MAX_SQLITE_WORDS]
            if not words:
                return SearchResults(queryset.none(), 0, False)
            # Folded words are letters and digits only: safe in tsquery syntax.
            raw = " & ".join(f"{word}:*" for word in words)
            search_query = SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw")
        else:
            search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        matches = queryset.filter(search_document=search_query)
        ordering = [SearchRank(F("search_document"), search_query).desc(), "-published_at", "-pk"]
    else:
        words = sqlite_query_words(query)
        if not words:
            return SearchResults(queryset.none(), 0, False)
        matches = queryset
        for word in words:
            matches = matches.filter(search_text__contains=f" {word}")
        ordering = ["-published_at", "-pk"]
    # Bounded whatever the archive: the ids of the newest MAX_RESULTS matches
    # (walking the publication-date index, or from the GIN index for a rare
    # word), read once here: they give the count, and the ranked page reads
    # only those rows.
    newest = list(matches.order_by("-published_at", "-pk").values_list("pk", flat=True)[: MAX_RESULTS + 1])
    articles = queryset.filter(pk__in=newest[:MAX_RESULTS]).order_by(*ordering)
    return SearchResults(articles, min(len(newest), MAX_RESULTS), len(newest) > MAX_RESULTS)
