"""Measure every page and admin screen of issue 8's table on one database.

Run by `bench/bench_scale.py` (`make bench-scale`), once per database size,
with production settings (DEBUG off) from the environment; writes JSON
results to the file named by `--output`. In process, with Django's test
client: what is measured is the application and its queries, not a server.

Each case runs `--warmup` times, then `--runs` times (fewer for the writing
cases, which are rolled back after each run so the data stays the same);
the median is kept, with the response size and the number of queries. The
cache is cleared before every request: each page is built, never served
from a page cache.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments.forms import security_data  # noqa: E402
from comments.models import Comment, CommentStatus  # noqa: E402


class Rollback(Exception):
    pass


def fixtures():
    """The objects the cases need, picked from the generated data."""
    published = Article.objects.published().filter(slug__startswith="scale-")
    # An ordinary article: from the middle of the archive, a few comments.
    middle = published.order_by("pk").values_list("pk", flat=True)[published.count() // 2]
    ordinary = (
        published.filter(pk__gte=middle, approved_comment_count__range=(1, 5)).order_by("pk").first()
        or published.first()
    )
    open_for_comments = (
        published.filter(published_at__gte=timezone.now() - timezone.timedelta(days=20))
        .order_by("approved_comment_count", "pk")
        .first()
    )
    section = Section.objects.get(slug="scale-economie")
    email = (
        Comment.objects.filter(article__slug__startswith="scale-")
        .exclude(author_email="")
        .order_by("-pk")
        .values_list("author_email", flat=True)
        .first()
    )
    user, _created = get_user_model().objects.get_or_create(
        username="bench-scale", defaults={"is_staff": True, "is_superuser": True}
    )
    return {
        "article": ordinary,
        "open_article": open_for_comments,
        "section": section,
        "email": email,
        "user": user,
    }


LARGE_TABLE_ROWS = 10_000


def large_tables():
    """Tables holding more than LARGE_TABLE_ROWS rows (planner statistics)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [LARGE_TABLE_ROWS]
        )
        return {name for (name,) in cursor.fetchall()}


def sequential_scans(captured, tables):
    """The large tables that the captured SELECTs read with a sequential
    scan, from EXPLAIN (ANALYZE): the proof that every query is served by an
    index whatever the archive."""
    found = set()
    for query in captured:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        found |= _seq_scanned(plan[0]["Plan"], tables)
    return sorted(found)


def _seq_scanned(node, tables):
    found = set()
    if node.get("Node Type") in {"Seq Scan", "Parallel Seq Scan"} and node.get("Relation Name") in tables:
        found.add(node["Relation Name"])
    for child in node.get("Plans", []):
        found |= _seq_scanned(child, tables)
    return found


def measure(name, request, *, runs, warmup, rollback=False, tables=frozenset()):
    """Median time (ms), size and query count of `request()` (a callable
    returning a response), and the large tables its queries scan."""
    timings, size, queries, status = [], 0, 0, None
    for attempt in range(warmup + runs):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            try:
                if rollback:
                    with transaction.atomic():
                        response = request()
                        raise Rollback
                else:
                    response = request()
            except Rollback:
                pass
            elapsed = time.perf_counter() - started
        if attempt >= warmup:
            timings.append(elapsed * 1000)
        size = len(getattr(response, "content", b"") or b"")
        queries = len(captured.captured_queries)
        status = getattr(response, "status_code", None)
    scans = sequential_scans(captured.captured_queries, tables)
    result = {
        "ms": statistics.median(timings),
        "samples": timings,
        "bytes": size,
        "queries": queries,
        "status": status,
        "seq_scans": scans,
    }
    print(
        f"  {name:<34} {result['ms']:9.1f} ms {size:>9} B {queries:>4} q  [{status}]"
        f"{'  seq scan: ' + ', '.join(scans) if scans else ''}",
        flush=True,
    )
    return result


class _CommandResult:
    status_code = "ok"
    content = b""


def run_cases(*, runs, warmup):
    data = fixtures()
    reader = Client()
    staff = Client()
    staff.force_login(data["user"])
    article, section = data["article"], data["section"]
    writes = max(3, runs // 4)
    results = {}

    def sitemap_page(path):
        return lambda: reader.get(path)

    def approve_100():
        ids = list(Comment.objects.pending().order_by("-created_at").values_list("pk", flat=True)[:100])
        return staff.post(
            "/admin/comments/comment/",
            {"action": "approve", "_selected_action": [str(pk) for pk in ids], "index": "0"},
        )

    counter = iter(range(10**6))

    def post_comment():
        n = next(counter)
        return reader.post(
            "/commentaires/envoyer/",
            {
                "name": f"Lectrice {n}",
                "email": f"bench{n}-{time.time_ns()}@exemple.fr",
                "text": f"Un avis argumenté sur ce dossier, numéro {n} {time.time_ns()}.",
                "website": "",
                **security_data(data["open_article"].pk, time.time() - 10),
            },
            REMOTE_ADDR=f"198.51.100.{n % 250 + 1}",
        )

    def purge():
        call_command("purge_comment_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        return _CommandResult()

    cases = [
        ("home", lambda: reader.get("/"), False),
        ("ordinary article", lambda: reader.get(article.get_absolute_url()), False),
        ("search « métropole »", lambda: reader.get("/recherche/", {"q": "métropole"}), False),
        ("section, last page", lambda: reader.get(section.get_absolute_url(), {"page": "last"}), False),
        ("sitemap.xml (index)", sitemap_page("/sitemap.xml"), False),
        ("sitemap articles, last page", None, False),
        ("sitemap tags", sitemap_page("/sitemap-mots-cles.xml"), False),
        ("Google News sitemap", sitemap_page("/sitemap-news.xml"), False),
        ("admin comment list", lambda: staff.get("/admin/comments/comment/"), False),
        (
            "admin search by e-mail",
            lambda: staff.get("/admin/comments/comment/", {"q": data["email"]}),
            False,
        ),
        ("admin bulk approve 100", approve_100, True),
        ("admin article list", lambda: staff.get("/admin/articles/article/"), False),
        ("comment POST", post_comment, True),
        ("purge_comment_data", purge, True),
    ]
    tables = large_tables()
    for name, request, writes_data in cases:
        if request is None:
            request = sitemap_page(_last_article_sitemap_page(reader))
        results[name] = measure(
            name,
            request,
            runs=writes if writes_data else runs,
            warmup=1 if writes_data else warmup,
            rollback=writes_data,
            tables=tables,
        )
    return results


def _last_article_sitemap_page(client):
    """The address of the last page of the articles sitemap, read from the index."""
    import re

    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>[^<]*(/sitemap-articles\.xml(?:\?p=\d+)?)</loc>", index)
    return pages[-1] if pages else "/sitemap-articles.xml"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--output", required=True)
    options = parser.parse_args()
    counts = {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "pending": Comment.objects.filter(status=CommentStatus.PENDING).count(),
    }
    print(f"  {counts['articles']} articles, {counts['comments']} commentaires", flush=True)
    results = run_cases(runs=options.runs, warmup=options.warmup)
    Path(options.output).write_text(json.dumps({"counts": counts, "results": results}, indent=2))


if __name__ == "__main__":
    main()
