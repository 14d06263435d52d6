"""The server-side page cache: anonymous readers share one copy of each page,
and every change drops exactly the pages that show it (newsroom/cache.py).

`X-Page-Cache` says whether a page came from the cache (`hit`) or was
rendered (`miss`). Changes run inside `committed()`, which runs what the
writers register for after their transaction commits, as production does.
"""

import html
import time
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import ArticleStatus
from articles.services import unpublish_articles
from comments.context import PENDING_COOKIE
from comments.services import approve_comment, reject_comment
from events.models import Event
from newsroom import page_cache as page_cache_module
from tests.articles.factories import make_reads, make_tag
from tests.comments.factories import make_approved_comment, make_comment, post_data
from tests.conftest import make_article, make_author, make_section, plain, record_calls
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_TIMEOUT = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


def read(url, **headers):
    """A new anonymous reader (no cookie) opens `url`."""
    return Client().get(url, **headers)


def text(response):
    return html.unescape(plain(response))


@pytest.fixture
def site(page_cache):
    """Two sections; « Le port » (with a tag and an author) in the first,
    « La gare » in the second; an event citing « Le port »."""
    economy, territories = make_section(name="Économie"), make_section(name="Territoires")
    tag, author = make_tag(name="Mobilité"), make_author(name="Lucie Marin")
    port = make_article(title="Le port", section=economy, tags=[tag], authors=[author])
    station = make_article(title="La gare", section=territories)
    event = make_event(title="Forum de la mer")
    event.related_articles.add(port)
    pages = {
        "home": "/",
        "port": port.get_absolute_url(),
        "station": station.get_absolute_url(),
        "economy": economy.get_absolute_url(),
        "territories": territories.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "rss": "/rss/",
        "sitemap": "/sitemap.xml",
        "search": "/recherche/?q=port",
        "event": event.get_absolute_url(),
        "events": "/evenements/",
    }
    for url in pages.values():
        assert read(url)["X-Page-Cache"] == "miss"
    return SimpleNamespace(pages=pages, port=port, station=station, event=event, economy=economy)


def wait_until(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)


def served_from_cache(site):
    """Which pages the next reader gets from the cache."""
    return {name for name, url in site.pages.items() if read(url).get("X-Page-Cache") == "hit"}


def test_a_second_reader_gets_the_same_page_from_the_cache_without_any_query(
    page_cache, django_assert_num_queries
):
    article = make_article(title="Le port de Marseille")
    first = read(article.get_absolute_url())

    with django_assert_num_queries(0):
        second = read(article.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == first["Cache-Control"]
    assert second["Content-Length"] == str(len(second.content))
    assert "Le port de Marseille" in text(second)


def test_a_conditional_request_gets_a_304_without_any_query(page_cache, django_assert_num_queries):
    article = make_article()
    etag = read(article.get_absolute_url())["ETag"]

    with django_assert_num_queries(0):
        response = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["X-Accel-Expires"].startswith("@")


def test_the_etag_does_not_change_with_the_form_timestamp(page_cache, monkeypatch):
    """The comment form signs the second it was rendered; the ETag is made
    from what the page shows, so a reader revalidating later gets a 304."""
    article = make_article()
    monkeypatch.setattr("comments.forms.time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    etag = read(article.get_absolute_url())["ETag"]
    monkeypatch.setattr("comments.forms.time", SimpleNamespace(time=lambda: 1_800_000_007.0))

    assert read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_page_lost_from_the_cache_is_rendered_again_with_the_same_etag(page_cache):
    article = make_article()
    etag = read(article.get_absolute_url())["ETag"]
    cache.delete(page_cache_module._entry_key("testserver", article.get_absolute_url()))  # evicted

    response = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response["X-Page-Cache"]) == (304, "miss")


def test_the_page_is_kept_no_longer_than_its_time_slot(page_cache, settings, monkeypatch):
    """However quiet the site, a page (and its form's signed timestamp) is
    rendered again after PAGE_CACHE_TIMEOUT seconds at most."""
    article = make_article()
    now = time.time()
    monkeypatch.setattr("newsroom.page_cache.time", SimpleNamespace(time=lambda: now))
    first = read(article.get_absolute_url())
    monkeypatch.setattr("newsroom.page_cache.time", SimpleNamespace(time=lambda: now + 600))

    later = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert (later.status_code, later["X-Page-Cache"]) == (200, "miss")
    assert later["ETag"] != first["ETag"]


def test_staff_neither_get_nor_fill_the_shared_copy(client, editor, page_cache):
    article = make_article(status=ArticleStatus.DRAFT, title="Brouillon confidentiel")
    client.force_login(editor)

    preview = client.get(article.get_absolute_url())

    assert "X-Page-Cache" not in preview
    assert "private" in preview["Cache-Control"]
    assert read(article.get_absolute_url()).status_code == 404


def test_a_reader_with_a_pending_comment_gets_their_own_page_and_others_the_shared_one(page_cache, client):
    article = make_article()
    assert read(article.get_absolute_url())["X-Page-Cache"] == "miss"
    client.post("/commentaires/envoyer/", post_data(article, text="Mon avis en attente."))

    own = client.get(article.get_absolute_url())
    shared = read(article.get_absolute_url())

    assert PENDING_COOKIE in client.cookies
    assert "Mon avis en attente." in text(own)
    assert "X-Page-Cache" not in own
    assert "no-store" in own["Cache-Control"]
    assert shared["X-Page-Cache"] == "hit"
    assert "Mon avis en attente." not in text(shared)


def test_editing_an_article_changes_the_pages_that_show_it_and_no_other(site, committed):
    with committed():
        site.port.title = "Le port, dix ans après"
        site.port.save()

    assert served_from_cache(site) == {"station", "territories", "events"}
    for name in ["home", "port", "economy", "tag", "author", "rss", "search", "event"]:
        assert "Le port, dix ans après" in text(read(site.pages[name])), name


def test_an_article_in_a_sidebar_is_renamed_everywhere_at_once(page_cache, committed):
    port, station = make_article(title="Le port"), make_article(title="La gare")
    make_reads(port, 12, timezone.localdate())
    assert "Le port" in text(read(station.get_absolute_url()))  # in « Sujets les + lus »

    with committed():
        port.title = "Le port, dix ans après"
        port.save()

    assert "Le port, dix ans après" in text(read(station.get_absolute_url()))


def test_unpublishing_an_article_removes_it_from_every_page_at_once(site, committed):
    with committed():
        unpublish_articles(articles=type(site.port).objects.filter(pk=site.port.pk), by=None)

    # Any article may list it in « À lire aussi »: every page is built again.
    assert served_from_cache(site) == set()
    assert read(site.pages["port"]).status_code == 404
    assert "Le port" not in text(read(site.pages["home"]))
    assert "Le port" not in text(read(site.pages["economy"]))


def test_an_approved_comment_shows_at_once_under_its_article_and_in_the_sidebars(site, committed):
    comment = make_comment(article=site.port, author_name="Marius", text="Enfin des quais rénovés !")

    with committed():
        approve_comment(comment.pk, moderator=None)

    assert served_from_cache(site) == {
        "economy", "territories", "tag", "author", "rss", "sitemap", "search", "event", "events",
    }  # fmt: skip
    port = text(read(site.pages["port"]))
    assert "Enfin des quais rénovés !" in port
    assert "1 commentaire" in port
    assert "Sujets les + commentés" in text(read(site.pages["station"]))


def test_rejecting_a_pending_comment_changes_no_page(site, committed):
    comment = make_comment(article=site.port)

    with committed():
        reject_comment(comment.pk, moderator=None)

    assert served_from_cache(site) == set(site.pages)


def test_rejecting_a_published_comment_removes_it_at_once(site, committed):
    with committed():
        comment = make_approved_comment(article=site.port, text="Un avis publié trop vite.")
    assert "Un avis publié trop vite." in text(read(site.pages["port"]))

    with committed():
        reject_comment(comment.pk, moderator=None)

    assert "Un avis publié trop vite." not in text(read(site.pages["port"]))


def test_editing_an_event_changes_its_pages_and_the_box_of_the_article_citing_it(site, committed):
    with committed():
        site.event.title = "Forum de la mer et des ports"
        site.event.save()

    assert served_from_cache(site) == {
        "station", "economy", "territories", "tag", "author", "rss", "sitemap", "search",
    }  # fmt: skip
    for name in ["home", "port", "event", "events"]:
        assert "Forum de la mer et des ports" in text(read(site.pages[name])), name


def test_an_event_newly_linked_to_an_article_shows_in_its_box_at_once(site, committed):
    with committed():
        site.event.related_articles.add(site.station)

    assert "Forum de la mer" in text(read(site.pages["station"]))


def test_renaming_a_section_changes_every_page(site, committed):
    with committed():
        site.economy.name = "Économie et emploi"
        site.economy.save()

    assert served_from_cache(site) == set()
    assert "Économie et emploi" in text(read(site.pages["station"]))  # in the masthead


def test_a_scheduled_article_appears_at_its_time_with_no_request_to_the_admin(site, committed):
    goes_live = timezone.now() + timedelta(seconds=3)
    with committed():
        make_article(title="Publié à l'heure dite", section=site.economy, published_at=goes_live)
    assert "Publié à l'heure dite" not in text(read(site.pages["home"]))
    assert read(site.pages["home"])["X-Page-Cache"] == "hit"

    wait_until(goes_live)  # the publication time passes; nobody touches the admin

    assert "Publié à l'heure dite" in text(read(site.pages["home"]))
    assert "Publié à l'heure dite" in text(read(site.pages["economy"]))
    assert read(site.pages["station"])["X-Page-Cache"] == "hit"


def test_comments_close_at_their_time_with_no_request_to_the_admin(page_cache, settings, committed):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    closes = timezone.now() + timedelta(seconds=3)
    with committed():
        article = make_article(published_at=closes - timedelta(days=1))
    assert "Laisser un commentaire" in text(read(article.get_absolute_url()))

    wait_until(closes)

    assert "Les commentaires sont fermés pour cet article." in text(read(article.get_absolute_url()))


def test_a_page_rendered_again_after_a_comment_costs_four_queries(site, committed, django_assert_num_queries):
    """The comment changes the article's comments, text parts and page; the
    masthead, sidebars and event box come from the cache."""
    with committed():
        make_approved_comment(article=site.station)
    read(site.pages["home"])  # « les + commentés » changed: computed again there

    # the article; its authors and tags (for its text, byline and metadata); its comments
    with django_assert_num_queries(4):
        response = read(site.pages["station"])

    assert response["X-Page-Cache"] == "miss"


def test_a_page_rendered_again_when_its_time_slot_ends_costs_no_query(
    site, monkeypatch, django_assert_num_queries
):
    """The article and every part of its page are still in the cache, under
    the page's own tokens: nothing has changed, so nothing is read again."""
    later = time.time() + 600
    monkeypatch.setattr("newsroom.page_cache.time", SimpleNamespace(time=lambda: later))

    with django_assert_num_queries(0):
        response = read(site.pages["port"])

    assert response["X-Page-Cache"] == "miss"
    assert "Le port" in text(response)


def test_the_event_box_makes_only_its_article_depend_on_the_events(site):
    """An article without an event box does not depend on the events, so
    editing an event leaves it cached (see the test above)."""
    assert Event.objects.filter(related_articles=site.station).count() == 0
    assert read(site.pages["station"])["X-Page-Cache"] == "hit"


def test_every_worker_shares_the_pages_through_redis(redis_cache, page_cache, committed):
    article = make_article()
    comment = make_comment(article=article, text="Lu sur tous les serveurs.")
    assert read(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert read(article.get_absolute_url())["X-Page-Cache"] == "hit"

    with committed():
        approve_comment(comment.pk, moderator=None)

    response = read(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Lu sur tous les serveurs." in text(response)
    assert read(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_tracking_parameters_of_shared_links_share_the_cached_page(page_cache):
    article = make_article()
    read(article.get_absolute_url())

    shared = read(f"{article.get_absolute_url()}?fbclid=IwAR3xyz&utm_source=newsletter")
    paged = read(f"{article.get_absolute_url()}?commentaires=2&utm_medium=email")

    assert shared["X-Page-Cache"] == "hit"
    assert paged["X-Page-Cache"] == "miss"  # another page of comments


def test_a_worker_that_did_not_render_the_page_serves_it_in_one_round_trip(page_cache, monkeypatch):
    """Another worker (or server) stored the page: this one learns its
    tokens on the first hit, and reads them with the entry from then on."""
    article = make_article()
    read(article.get_absolute_url())
    monkeypatch.setattr("newsroom.page_cache._token_hints", {})  # a fresh worker
    calls = record_calls(monkeypatch, page_cache_module.cache, "get_many")

    first, second = read(article.get_absolute_url()), read(article.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("hit", "hit")
    assert len(calls) == 3  # entry, then its tokens; then both at once


def test_a_304_carries_the_validators_and_the_caching_headers_only(page_cache):
    article = make_article()
    page = read(article.get_absolute_url())

    response = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"].removeprefix("W/"))

    assert response.status_code == 304
    assert response["ETag"] == page["ETag"]
    assert response["Cache-Control"] == page["Cache-Control"]
    assert response["Vary"] == page["Vary"]
    assert "Content-Type" not in response.headers
    assert response["X-Page-Cache"] == "hit"


# --- The worker's memory (PAGE_CACHE_LOCAL_MS) ----------------------------------------------


@pytest.fixture
def clock(settings, monkeypatch):
    """The page cache's clock, moved by hand; a 100 ms memory window (the
    production default: tests elsewhere run without it)."""
    settings.PAGE_CACHE_LOCAL_MS = 100
    clock = SimpleNamespace(now=1_800_000_000.25)
    monkeypatch.setattr("newsroom.page_cache.time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_a_worker_answers_a_page_it_has_just_validated_from_its_memory_for_100_ms(
    page_cache, clock, committed, monkeypatch
):
    article = make_article()
    comment = make_comment(article=article, text="Vu à la seconde près.")
    assert read(article.get_absolute_url())["X-Page-Cache"] == "miss"
    with committed():
        approve_comment(comment.pk, moderator=None)
    calls = record_calls(monkeypatch, page_cache_module.cache, "get_many")

    clock.now += 0.05
    from_memory = read(article.get_absolute_url())
    calls_from_memory = len(calls)
    clock.now += 0.06
    afterwards = read(article.get_absolute_url())

    assert from_memory["X-Page-Cache"] == "hit"
    assert "Vu à la seconde près." not in text(from_memory)
    assert calls_from_memory == 0  # Redis was not asked
    assert afterwards["X-Page-Cache"] == "miss"
    assert "Vu à la seconde près." in text(afterwards)


def test_the_memory_of_a_page_ends_with_the_second_so_that_nginx_sees_a_change_within_it(
    page_cache, clock, committed
):
    """nginx keeps a page until the end of the second and then revalidates:
    a copy validated at .95 must not answer at the next second's .00."""
    article = make_article()
    comment = make_comment(article=article, text="Publié au tournant de la seconde.")
    clock.now = 1_800_000_000.95
    read(article.get_absolute_url())
    with committed():
        approve_comment(comment.pk, moderator=None)

    clock.now = 1_800_000_001.0
    response = read(article.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert "Publié au tournant de la seconde." in text(response)


def test_a_conditional_request_is_answered_from_the_worker_memory_too(page_cache, clock):
    article = make_article()
    etag = read(article.get_absolute_url())["ETag"]

    clock.now += 0.01
    response = read(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response["ETag"], response["X-Page-Cache"]) == (304, etag, "hit")
