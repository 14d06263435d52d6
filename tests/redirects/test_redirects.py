"""Old addresses keep working: slug changes, manual redirects, reader 404s."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import ArticleStatus
from audit.models import AuditAction, AuditEntry
from redirects.models import NotFoundPath, Redirect
from redirects.notfound import BUCKET_SECONDS, count_not_found, flush_not_found_counts
from redirects.services import create_redirect
from tests.articles.factories import make_tag
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def test_old_address_of_a_published_article_answers_301_to_the_new_one(client):
    article = make_article(slug="ancien-titre")

    rename(article, "nouveau-titre")
    response = client.get("/articles/ancien-titre/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/nouveau-titre/"
    assert client.get(response["Location"]).status_code == 200


def test_redirect_keeps_the_query_string(client):
    rename(make_article(slug="a"), "b")

    response = client.get("/articles/a/?utm_source=lettre")

    assert response["Location"] == "/articles/b/?utm_source=lettre"


def test_chains_collapse_a_to_b_to_c_serves_a_to_c(client):
    article = make_article(slug="a")

    rename(article, "b")
    rename(article, "c")

    assert client.get("/articles/a/")["Location"] == "/articles/c/"
    assert client.get("/articles/b/")["Location"] == "/articles/c/"
    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/articles/a/", "/articles/c/"),
        ("/articles/b/", "/articles/c/"),
    }


def test_going_back_to_an_old_slug_serves_it_again_without_a_loop(client):
    article = make_article(slug="a")

    rename(article, "b")
    rename(article, "a")

    assert client.get("/articles/a/").status_code == 200
    assert client.get("/articles/b/")["Location"] == "/articles/a/"
    assert list(Redirect.objects.values_list("old_path", "new_path")) == [("/articles/b/", "/articles/a/")]


def test_renaming_a_draft_makes_no_redirect():
    article = make_article(slug="brouillon", status=ArticleStatus.DRAFT)

    rename(article, "brouillon-2")

    assert Redirect.objects.count() == 0


@pytest.mark.parametrize(
    ("factory", "old", "new"),
    [
        (lambda: make_section(slug="eco"), "/rubrique/eco/", "/rubrique/economie/"),
        (lambda: make_tag(slug="eco"), "/mot-cle/eco/", "/mot-cle/economie/"),
        (lambda: make_author(slug="eco"), "/auteur/eco/", "/auteur/economie/"),
    ],
)
def test_sections_tags_and_authors_keep_their_old_address(client, factory, old, new):
    rename(factory(), "economie")

    response = client.get(old)

    assert (response.status_code, response["Location"]) == (301, new)


def test_a_section_s_feeds_follow_it():
    rename(make_section(slug="eco"), "economie")

    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/rubrique/eco/", "/rubrique/economie/"),
        ("/rubrique/eco/rss/", "/rubrique/economie/rss/"),
        ("/rubrique/eco/atom/", "/rubrique/economie/atom/"),
    }


def test_a_published_event_keeps_its_old_address(client):
    from tests.events.factories import make_event

    event = make_event(slug="rencontres")
    rename(event, "rencontres-2026")

    assert client.get("/evenements/rencontres/")["Location"] == "/evenements/rencontres-2026/"


def test_slug_change_is_recorded_in_the_journal_once():
    article = make_article(slug="a")

    rename(article, "b")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_repr, entry.details) == (
        AuditAction.SLUG_CHANGE,
        article.title,
        {"old_path": "/articles/a/", "new_path": "/articles/b/"},
    )


def test_manual_redirect_to_any_internal_page(client, chief):
    create_redirect(old_path="/dossier-smart-city/", new_path="/mot-cle/smart-city/", by=chief)

    response = client.get("/dossier-smart-city/")

    assert (response.status_code, response["Location"]) == (301, "/mot-cle/smart-city/")
    assert AuditEntry.objects.get().action == AuditAction.REDIRECT


def test_manual_redirect_to_a_moved_page_goes_to_its_final_address():
    rename(make_article(slug="a"), "b")

    redirect = create_redirect(old_path="/vieux-lien/", new_path="/articles/a/")

    assert redirect.new_path == "/articles/b/"


def test_a_redirect_that_would_loop_is_refused():
    create_redirect(old_path="/x/", new_path="/y/")

    with pytest.raises(ValidationError):
        create_redirect(old_path="/y/", new_path="/x/")


def test_manual_redirect_form_refuses_a_loop_and_an_external_address(client, chief):
    create_redirect(old_path="/x/", new_path="/y/")
    client.force_login(chief)

    loop = client.post("/admin/redirects/redirect/add/", {"old_path": "/y/", "new_path": "/x/"})
    external = client.post(
        "/admin/redirects/redirect/add/", {"old_path": "/z/", "new_path": "https://evil.example/"}
    )

    assert "ferait une boucle" in loop.content.decode()
    assert "commençant par « / »" in external.content.decode()
    assert Redirect.objects.count() == 1


def test_a_page_that_answers_costs_no_redirect_query(client, django_assert_num_queries):
    article = make_article()
    client.get(article.get_absolute_url())  # warm the nav and sidebars' queries to count them alike

    with django_assert_num_queries(9):  # the article page's own count (tests/articles/test_query_counts.py)
        client.get(article.get_absolute_url())


def test_a_404_costs_one_redirect_lookup_and_no_write(client, django_assert_num_queries):
    with django_assert_num_queries(2) as context:  # the 404 page's navigation, the redirect lookup
        response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in context.captured_queries
    )


def test_reader_404s_are_counted_per_address_and_flushed_in_one_go(client):
    for _ in range(3):
        client.get("/lien-casse/")
    client.get("/autre-lien/")
    later = timezone.now().timestamp() + BUCKET_SECONDS

    added = flush_not_found_counts(now=later)

    assert added == 4
    assert list(NotFoundPath.objects.values_list("path", "hits")) == [
        ("/lien-casse/", 3),
        ("/autre-lien/", 1),
    ]


def test_flushing_again_adds_to_the_stored_counts():
    now = timezone.now().timestamp()
    count_not_found("/lien-casse/", now=now)
    flush_not_found_counts(now=now + BUCKET_SECONDS)
    count_not_found("/lien-casse/", now=now + BUCKET_SECONDS)

    flush_not_found_counts(now=now + 2 * BUCKET_SECONDS)

    assert NotFoundPath.objects.get().hits == 2


def test_static_and_admin_404s_and_logged_in_staff_are_not_counted(client, chief):
    client.get("/static/absent.css")
    client.force_login(chief)
    client.get("/nulle-part/")

    flush_not_found_counts(now=timezone.now().timestamp() + BUCKET_SECONDS)

    assert NotFoundPath.objects.count() == 0


def test_creating_the_redirect_forgets_the_404(client):
    client.get("/lien-casse/")
    flush_not_found_counts(now=timezone.now().timestamp() + BUCKET_SECONDS)

    create_redirect(old_path="/lien-casse/", new_path="/")

    assert NotFoundPath.objects.count() == 0


def test_editors_see_the_most_hit_404s_with_a_link_to_redirect_them(client, chief):
    NotFoundPath.objects.create(path="/peu/", hits=2, last_seen_at=timezone.now())
    NotFoundPath.objects.create(path="/beaucoup/", hits=40, last_seen_at=timezone.now())
    client.force_login(chief)

    html = client.get("/admin/redirects/notfoundpath/").content.decode()

    assert html.index("/beaucoup/") < html.index("/peu/")
    assert "/admin/redirects/redirect/add/?old_path=%2Fbeaucoup%2F" in html


def test_the_redirect_form_is_prefilled_from_the_404_list(client, chief):
    client.force_login(chief)

    html = client.get("/admin/redirects/redirect/add/?old_path=%2Fbeaucoup%2F").content.decode()

    assert 'value="/beaucoup/"' in html


@pytest.fixture
def redis_cache(settings):
    """The shared cache of production: Redis (db 7 unless REDIS_TEST_URL says otherwise)."""
    import os

    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis injoignable ({url})")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"newsroom-test-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


def test_with_redis_each_404_is_one_atomic_increment_and_the_flush_adds_them(client, redis_cache):
    for _ in range(5):
        client.get("/lien-casse/")
    client.get("/autre-lien/")

    added = flush_not_found_counts(now=timezone.now().timestamp() + BUCKET_SECONDS)

    assert added == 6
    assert dict(NotFoundPath.objects.values_list("path", "hits")) == {"/lien-casse/": 5, "/autre-lien/": 1}
    assert flush_not_found_counts(now=timezone.now().timestamp() + 2 * BUCKET_SECONDS) == 0


def test_an_address_without_its_final_slash_is_redirected_not_counted(client):
    response = client.get("/rectificatifs")

    flush_not_found_counts(now=timezone.now().timestamp() + BUCKET_SECONDS)
    assert (response.status_code, response["Location"]) == (301, "/rectificatifs/")
    assert NotFoundPath.objects.count() == 0
