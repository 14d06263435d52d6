"""Which pages a change touches: the one map from a change to the cached
pages and fragments it invalidates.

Writers (services and model `save()` methods) call the functions below; each
one registers its invalidation to run *after* the transaction commits
(`transaction.on_commit`), so that no reader can render the old rows again
under the new tokens. Views and templates never invalidate anything. The
mechanics (tokens, entries, fragments) are in `newsroom/page_cache.py`.

What each change drops:

- An article published, edited, or going live at its scheduled time: its
  page (old and new address), home, its section (page and feeds), its tags'
  and authors' pages, the RSS and Atom feeds, search, the sitemaps, the pages
  of the events that cite it; « les + lus » and « les + commentés » when they
  show it. A scheduled article is on no page until then. Other articles'
  « À lire aussi » pick it up when their pages are next built.
- An article unpublished or deleted: every page (it may be listed in « À lire
  aussi » under any article, and readers must never follow a link to a 404).
- A comment approved, rejected, marked as spam, answered by the newsroom or
  deleted once published: its article's page; « les + commentés » when the
  number of published comments changed. A commenter anonymised: the pages of
  their comments' articles. Comments closing by themselves
  (COMMENTS_CLOSE_AFTER_DAYS): the article's page.
- An event saved, deleted, published at its time or over; a venue,
  organisation, person, series, programme line or participant: every page
  that shows an event (`events`: event pages, lists, calendars, the home
  agenda, the event boxes of articles) and the pages of the articles an event
  now cites (an article without a box does not depend on `events`).
- A trust page edited: its own page.
- A picture processed by the image task: the pages of its article, or
  `events` for an event's image, a logo or a portrait.
- A section, a tag or an author renamed or removed, a section added:
  everything (the masthead and the bylines show them).

Time-driven changes (a scheduled article, comments closing, an event
passing) are invalidations too: the next moment one is due is kept in the
cache (the *schedule*), and the first request after it — any reader's —
invalidates those pages, so nothing waits for a visit to the admin. If the
schedule is lost, the changes of the last `PAGE_CACHE_TIMEOUT` seconds are
replayed: nothing cached is older than that.
"""

import functools
import logging
import time
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from newsroom.page_cache import EVERYTHING, enabled, fragment, fragment_value, invalidate, page_name

logger = logging.getLogger(__name__)

SCHEDULE_KEY = "nr:schedule"
SCHEDULE_LOCK = "nr:schedule-lock"
MOST_READ = "most-read"
MOST_COMMENTED = "most-commented"
EVENTS = "events"
SITEMAPS = "sitemaps"
SIDEBARS = (MOST_READ, MOST_COMMENTED)


def _on_commit(function, *args, **kwargs):
    if enabled():
        transaction.on_commit(partial(function, *args, **kwargs), robust=True)


# --- Articles ---------------------------------------------------------------------


def article_names(article_ids):
    """Token names of every page that shows one of these articles or lists it."""
    from articles.models import Article, Author, Tag
    from events.models import Event

    if not article_ids:
        return set()
    paths = {
        reverse("articles:home"),
        reverse("articles:rss"),
        reverse("articles:atom"),
        reverse("articles:search"),
    }
    for slug, section in Article.objects.filter(pk__in=article_ids).values_list("slug", "section__slug"):
        paths |= {
            reverse("articles:detail", kwargs={"slug": slug}),
            reverse("articles:section", kwargs={"slug": section}),
            reverse("articles:section_rss", kwargs={"slug": section}),
            reverse("articles:section_atom", kwargs={"slug": section}),
        }
    for model, url_name in [(Tag, "articles:tag"), (Author, "articles:author")]:
        slugs = model.objects.filter(articles__in=article_ids).values_list("slug", flat=True).distinct()
        paths |= {reverse(url_name, kwargs={"slug": slug}) for slug in slugs}
    events = Event.objects.filter(related_articles__in=article_ids).values_list("slug", flat=True).distinct()
    paths |= {reverse("events:detail", kwargs={"slug": slug}) for slug in events}
    return {page_name(path) for path in paths} | {SITEMAPS}


def _sidebars_showing(article_id):
    """The sidebars that show the article. An article coming (back) online
    enters them with its reads and comments when they are next computed
    (SIDEBAR_CACHE_SECONDS), like any other article."""
    names = set()
    for name in SIDEBARS:
        value = fragment_value(name)
        # Dropped too when nothing is cached: a reader may be computing it.
        if value is None or article_id in value["ids"]:
            names.add(name)
    return names


def _is_visible(article_id):
    from articles.models import Article

    return Article.objects.published().filter(pk=article_id).exists()


class ArticleState:
    """The pages an article was on before a change (taken before saving)."""

    def __init__(self, article):
        self.names = set()
        self.visible = False
        if enabled() and article.pk is not None:
            self.visible = _is_visible(article.pk)
            if self.visible:
                self.names = article_names([article.pk])


def article_changed(article, *, before=None):
    """An article was created, edited, published or unpublished (called by
    `Article.save()`). After commit: drops the pages it was on (`before`, an
    ArticleState taken before saving) and those it is on now, and refreshes
    the schedule (a scheduled article is on no page until its time comes)."""
    _on_commit(_article_changed, article.pk, before or ArticleState(article))


def _article_changed(article_id, before):
    visible = _is_visible(article_id)
    if before.visible and not visible:
        # Unpublished: it may be in « À lire aussi » under any other article,
        # whose pages do not know it; a rare change, so every page goes.
        invalidate({EVERYTHING})
        apply_due_changes(force=True)
        return
    names = set(before.names)
    if visible:
        names |= article_names([article_id])
    if before.visible:
        names |= _sidebars_showing(article_id)
    invalidate(names)
    apply_due_changes(force=True)


def article_deleted(article):
    """An article is about to be deleted: after commit, every page goes (it
    may be in « À lire aussi » under any other article)."""
    if enabled():
        _on_commit(invalidate, {EVERYTHING})


@functools.lru_cache(maxsize=4096)
def _article_page(slug):
    return page_name(reverse("articles:detail", kwargs={"slug": slug}))


def article_page_fragment(article, name, build):
    """A part of the article's own page (its text, its comments…), kept until
    the article or its comments change, or a section, tag or author does.
    Previews of an unpublished article are rendered afresh."""
    if not article.is_published:
        return build()
    return fragment(
        f"{name}:{article.pk}",
        build,
        token=(_article_page(article.slug), EVERYTHING),
        timeout=settings.PAGE_CACHE_TIMEOUT,
        page_data=True,
    )


def published_article(slug, load):
    """The published article at `slug`, as `load()` returns it, kept with the
    page's own tokens (so read before it, and dropped with it): a page whose
    parts are all in the cache is rendered again without any query."""
    return fragment(
        f"article:{slug}",
        load,
        token=(_article_page(slug), EVERYTHING),
        timeout=settings.PAGE_CACHE_TIMEOUT,
        page_data=True,
    )


# --- Comments -----------------------------------------------------------------------


def comments_changed(article_id, *, published_count_changed):
    """Comments of an article changed in a way readers see (a comment
    approved, rejected or deleted after publication, a newsroom reply, an
    anonymised name). After commit: drops the article's page, and « les +
    commentés » when the number of published comments changed."""
    _on_commit(_comments_changed, article_id, published_count_changed)


def _comments_changed(article_id, published_count_changed):
    from articles.models import Article

    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    names = {MOST_COMMENTED} if published_count_changed else set()
    if slug:
        names.add(page_name(reverse("articles:detail", kwargs={"slug": slug})))
    invalidate(names)


# --- Events -------------------------------------------------------------------------


def event_changed(event):
    """An event was saved (called by `Event.save()`). After commit: drops every
    page that shows an event and the pages of the articles it now cites (an
    article it no longer cites showed its box, so depends on `events`), and
    refreshes the schedule."""
    _on_commit(_event_changed, event.pk)


def _event_changed(event_id):
    invalidate(_event_names([event_id]))
    apply_due_changes(force=True)


def _event_names(event_ids):
    from articles.models import Article

    articles = Article.objects.filter(events__in=event_ids).values_list("slug", flat=True).distinct()
    return {EVENTS} | {page_name(reverse("articles:detail", kwargs={"slug": slug})) for slug in articles}


def events_changed():
    """Something every event page may show changed (a venue, a speaker, a
    programme line, an event deleted): after commit, drops `events`."""
    _on_commit(invalidate, {EVENTS})


# --- Trust pages --------------------------------------------------------------------


def trust_page_changed(page):
    """A trust page (legal notice, privacy…) was edited: after commit, drops
    its own page (the footer only links to it)."""
    _on_commit(invalidate, {page_name(page.get_absolute_url())})


# --- Pictures -----------------------------------------------------------------------


def picture_changed(label, pk):
    """A picture finished processing (the image task writes the row with an
    UPDATE, not `save()`): after commit, drops the pages of that article, or
    every page showing events for an event's image, a logo or a portrait."""
    if label.lower() == "articles.article":
        _on_commit(_article_picture_changed, pk)
    else:
        events_changed()


def _article_picture_changed(article_id):
    if _is_visible(article_id):
        invalidate(article_names([article_id]))


# --- Everything ---------------------------------------------------------------------


def everything_changed():
    """A section, tag or author changed: the masthead and every byline may
    show it. After commit, drops every cached page and fragment."""
    _on_commit(invalidate, {EVERYTHING})


# --- The schedule of time-driven changes ---------------------------------------------


def schedule_is_due(schedule, now):
    return schedule is None or (schedule["next"] is not None and schedule["next"] <= now)


def apply_due_changes(now=None, *, force=False):
    """Invalidate the pages whose time has come, then note the next moment.

    Called by the page cache middleware when the schedule is due (or absent),
    and after an article or an event changes (`force`). One process at a time
    does it: readers who find it busy keep serving meanwhile, a change waits
    for its turn (its new date must be noted). Returns True when it
    invalidated something."""
    if not enabled():
        return False
    if not _lock_schedule(wait=2.0 if force else 0):
        return False
    now = now or time.time()
    try:
        schedule = cache.get(SCHEDULE_KEY)
        if not force and not schedule_is_due(schedule, now):
            return False
        since = schedule["checked"] if schedule else now - settings.PAGE_CACHE_TIMEOUT
        names = _time_driven_changes(_moment(since), _moment(now)) if since < now else set()
        invalidate(names)
        next_change = _next_change_after(_moment(now))
        cache.set(
            SCHEDULE_KEY,
            {"checked": now, "next": next_change.timestamp() if next_change else None},
            None,
        )
        return bool(names)
    except Exception:  # a failing schedule must never fail a reader's page
        logger.exception("Scheduled cache invalidation failed")
        return False
    finally:
        cache.delete(SCHEDULE_LOCK)


def _lock_schedule(*, wait):
    """Take the schedule's lock, waiting up to `wait` seconds while another
    process holds it. A cache that does not answer (Redis down: django-redis
    gives None rather than False) has nothing to sweep: give up at once
    rather than wait for a lock it cannot grant."""
    deadline = time.monotonic() + wait
    while not (taken := cache.add(SCHEDULE_LOCK, 1, 30)):
        if taken is None or time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _moment(timestamp):
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _close_delay():
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return timedelta(days=days) if days else None


def _day_end(moment):
    """Midnight after `moment`, Paris time: when an event without an end is over."""
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), datetime.min.time()))


def _time_driven_changes(since, until):
    """Token names of the pages that changed by themselves in (since, until]."""
    from articles.models import Article, ArticleStatus
    from events.models import Event, PublicationStatus

    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    live = list(
        published.filter(published_at__gt=since, published_at__lte=until).values_list("pk", flat=True)
    )
    names = article_names(live)
    delay = _close_delay()
    if delay:
        closing = published.filter(published_at__gt=since - delay, published_at__lte=until - delay)
        names |= {
            page_name(reverse("articles:detail", kwargs={"slug": slug}))
            for slug in closing.values_list("slug", flat=True)
        }
    events = Event.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    changed = set(events.filter(published_at__gt=since, published_at__lte=until).values_list("pk", flat=True))
    candidates = events.filter(
        Q(ends_at__gt=since, ends_at__lte=until)
        | Q(ends_at__isnull=True, starts_at__gt=since - timedelta(days=1), starts_at__lte=until)
    ).values_list("pk", "starts_at", "ends_at")
    for pk, starts_at, ends_at in candidates:
        if since < (ends_at or _day_end(starts_at)) <= until:
            changed.add(pk)
    if changed:
        names |= _event_names(changed)
    return names


def _next_change_after(moment):
    """The next moment a page changes by itself, or None."""
    from articles.models import Article, ArticleStatus
    from events.models import Event, PublicationStatus

    def first(queryset, field):
        return queryset.order_by(field).values_list(field, flat=True).first()

    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    events = Event.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    moments = [
        first(published.filter(published_at__gt=moment), "published_at"),
        first(events.filter(published_at__gt=moment), "published_at"),
        first(events.filter(ends_at__gt=moment), "ends_at"),
    ]
    delay = _close_delay()
    if delay:
        opened = first(published.filter(published_at__gt=moment - delay), "published_at")
        moments.append(opened + delay if opened else None)
    day_start = _day_end(moment) - timedelta(days=1)
    starts = first(events.filter(ends_at__isnull=True, starts_at__gte=day_start), "starts_at")
    moments.append(_day_end(starts) if starts else None)
    upcoming = [when for when in moments if when is not None and when > moment]
    return min(upcoming, default=None)
