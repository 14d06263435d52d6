"""Full-text search over published articles.

PostgreSQL: French full-text search (stemming, stop words) over the title,
the standfirst and the body, weighted in that order and ranked. SQLite (the
embedded default): a plain case-insensitive match on the same fields.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

MAX_QUERY_LENGTH = 200


def clean_query(raw) -> str:
    """What we search for: without NUL or control characters, spaces
    collapsed, at most MAX_QUERY_LENGTH characters."""
    text = "".join(char if char.isprintable() else " " for char in str(raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_articles(queryset, query: str):
    """`queryset` filtered on `query` (already cleaned), best match first."""
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="french")
            + SearchVector("standfirst", weight="B", config="french")
            + SearchVector("body", weight="C", config="french")
        )
        search_query = SearchQuery(query, config="french", search_type="websearch")
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by("-rank", "-published_at", "-pk")
        )
    match = Q()
    for word in query.split()[:10]:
        match &= Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
    return queryset.filter(match).order_by("-published_at", "-pk")
