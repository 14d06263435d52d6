import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from articles.models import Article, ArticleDailyView, ArticleStatus
from articles.services import record_article_view
from tests.articles.factories import make_reads
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def beacon(client, article_id, **headers):
    headers.setdefault("HTTP_USER_AGENT", BROWSER)
    headers.setdefault("HTTP_SEC_FETCH_SITE", "same-origin")
    return client.post(f"/articles/{article_id}/vue/", **headers)


def reads_of(article):
    return sum(ArticleDailyView.objects.filter(article=article).values_list("count", flat=True))


def test_most_read_ranks_the_reads_of_the_last_seven_days(client):
    today = timezone.localdate()
    first, second, old = make_article(title="Premier"), make_article(title="Deuxième"), make_article()
    make_reads(first, 30, today)
    make_reads(first, 5, today - timedelta(days=6))
    make_reads(second, 20, today - timedelta(days=1))
    make_reads(old, 500, today - timedelta(days=7))

    ranking = list(Article.objects.published().most_read(days=7))

    assert [(article.title, article.recent_views) for article in ranking] == [
        ("Premier", 35),
        ("Deuxième", 20),
    ]


def test_most_read_leaves_out_unpublished_articles():
    draft = make_article(status=ArticleStatus.DRAFT)
    make_reads(draft, 10, timezone.localdate())

    assert list(Article.objects.published().most_read()) == []


def test_most_read_block_is_shown_on_the_home_page(client):
    article = make_article(title="Le plus lu")
    make_reads(article, 3, timezone.localdate())

    html = client.get("/").content.decode()

    assert f'<li><a href="{article.get_absolute_url()}">Le plus lu</a></li>' in html


def test_article_page_loads_the_view_counter_script(client):
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'data-view-url="/articles/{article.pk}/vue/"' in html
    assert ArticleDailyView.objects.count() == 0  # the page itself never writes


def test_reader_beacon_counts_one_read(client):
    article = make_article()

    response = beacon(client, article.pk)

    assert response.status_code == 204
    assert reads_of(article) == 1


def test_beacon_with_same_origin_header_counts(client):
    article = make_article()

    beacon(client, article.pk, HTTP_SEC_FETCH_SITE="", HTTP_ORIGIN="http://testserver")

    assert reads_of(article) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": ""},
    ],
)
def test_beacon_from_another_site_is_refused(client, headers):
    article = make_article()

    response = beacon(client, article.pk, **headers)

    assert response.status_code == 403
    assert reads_of(article) == 0


@pytest.mark.parametrize(
    "user_agent",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.5", ""],
)
def test_robots_are_not_counted(client, user_agent):
    article = make_article()

    response = beacon(client, article.pk, HTTP_USER_AGENT=user_agent)

    assert response.status_code == 204
    assert reads_of(article) == 0


def test_staff_reads_are_not_counted(client, editor):
    article = make_article()
    client.force_login(editor)

    beacon(client, article.pk)

    assert reads_of(article) == 0


def test_view_counter_refuses_get(client):
    article = make_article()

    response = client.get(f"/articles/{article.pk}/vue/")

    assert response.status_code == 405
    assert reads_of(article) == 0


@pytest.mark.parametrize("article_id", ["0", "999999", "9" * 30])
def test_view_counter_ignores_unknown_ids(client, article_id):
    response = client.post(
        f"/articles/{article_id}/vue/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert response.status_code == 204
    assert ArticleDailyView.objects.count() == 0


def test_view_counter_answers_404_to_a_junk_path(client):
    response = client.post(
        "/articles/abc%00/vue/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert response.status_code == 404


def test_reads_of_drafts_are_not_counted(client):
    draft = make_article(status=ArticleStatus.DRAFT)

    beacon(client, draft.pk)

    assert reads_of(draft) == 0


def test_view_counter_answer_is_never_cached(client):
    article = make_article()

    response = beacon(client, article.pk)

    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reads_lose_no_increment():
    """Eight readers at once, twenty reads each, starting on a day with no
    row yet: every read is counted (the creation race included)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("threads cannot share SQLite's in-memory test database")
    article = make_article()
    readers, reads_each = 8, 20
    start = threading.Barrier(readers)
    errors = []

    def read():
        try:
            start.wait()
            for _ in range(reads_each):
                record_article_view(article_id=article.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ArticleDailyView.objects.get(article=article).count == readers * reads_each


def test_most_read_finds_the_week_leader_even_when_it_was_not_read_yesterday():
    today = timezone.localdate()
    steady, yesterdays_star = make_article(title="Lu toute la semaine"), make_article(title="Star d'hier")
    for offset in (0, 2, 3, 4, 5, 6):
        make_reads(steady, 100, today - timedelta(days=offset))
    make_reads(yesterdays_star, 250, today - timedelta(days=1))

    ranking = list(Article.objects.published().most_read(days=7, limit=1))

    assert [(article.title, article.recent_views) for article in ranking] == [("Lu toute la semaine", 600)]


def test_most_read_ranks_exactly_beyond_yesterdays_leaders():
    today = timezone.localdate()
    articles = [make_article(title=f"Article {n}") for n in range(8)]
    for rank, article in enumerate(articles):
        make_reads(article, 10 * (rank + 1), today - timedelta(days=1))
    late_bloomer = make_article(title="Lu aujourd'hui")
    make_reads(late_bloomer, 75, today)

    ranking = list(Article.objects.published().most_read(days=7, limit=3))

    assert [(article.title, article.recent_views) for article in ranking] == [
        ("Article 7", 80),
        ("Lu aujourd'hui", 75),
        ("Article 6", 70),
    ]


@pytest.mark.parametrize("count", [1, 10])
def test_most_read_is_one_query(django_assert_num_queries, count):
    for article in [make_article() for _ in range(count)]:
        make_reads(article, 3, timezone.localdate() - timedelta(days=1))

    with django_assert_num_queries(1):
        assert len(list(Article.objects.published().most_read())) == min(count, 5)
