"""The server-side cache of anonymous readers' pages, and its building blocks.

What pages a change touches is decided in one place, `newsroom/cache.py`;
this module only knows how to keep pages and shared values and how to drop
them. Everything lives in Django's default cache (Redis when `REDIS_URL` is
set, so every worker shares it; local memory otherwise).

- A **token** is a short random value stored under a *name*: `page:<path>`
  (every query string of that path), `events`, `most-read`, `everything`…
  Invalidating a name deletes its token; the next reader makes a new one.
- A **page entry** is a reader's response kept with the tokens it was built
  from. Each token is read *before* the data it guards, and writers
  invalidate *after* they commit, so an entry can never hold older data than
  its tokens say. An entry is served while all its tokens are unchanged, and
  never past the end of its time slot (`PAGE_CACHE_TIMEOUT` seconds at most).
- A **fragment** is a value many pages show (a sidebar, the sections of the
  masthead), computed once under its own token; a page that shows it records
  that token, so the page is dropped with the fragment.

The ETag of a cached page is made of its tokens and its time slot, so a
conditional request is answered with a 304 from the entry, before any view,
template or query runs. The time slot bounds how old a page (and the signed
timestamp of its comment form) can be in any cache that revalidates with it.

Readers holding the session cookie (staff) or the cookie of their pending
comments never read or write the shared entries.
"""

import contextvars
import functools
import hashlib
import math
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags, parse_http_date_safe

from comments.context import PENDING_COOKIE

EVERYTHING = "everything"  # every page and fragment depends on it
_MISSING = object()
# Response headers that are remade for each answer rather than stored.
_TRANSIENT_HEADERS = {"date", "x-accel-expires", "set-cookie", "content-length"}
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

_current_page = contextvars.ContextVar("newsroom_page_render", default=None)


def enabled():
    return settings.PAGE_CACHE_TIMEOUT > 0


@functools.cache
def _build():
    """What tells one release's static files from another's: the hash of the
    static files manifest. Pages name static files by their hashed names, so
    a release with new ones starts with an empty page cache."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    try:
        return hashlib.sha1(manifest.read_bytes(), usedforsecurity=False).hexdigest()[:8]
    except OSError:
        return "dev"


@functools.lru_cache(maxsize=16384)
def _key(kind, name):
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    return f"nr:{_build()}:{kind}:{digest}"


def page_name(path):
    """The token name of every page at `path`, whatever its query string."""
    return f"page:{path}"


# --- Tokens --------------------------------------------------------------------


def read_tokens(names, *, timeout=None):
    """The current token of each name, making one where there is none.

    Call it *before* reading the data the names guard. `timeout` bounds the
    life of tokens made here (None: until invalidated or evicted)."""
    keys = {name: _key("t", name) for name in names}
    found = cache.get_many(list(keys.values()))
    tokens = {}
    for name, key in keys.items():
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(key, token, timeout):
                token = cache.get(key) or token  # another reader made it first
        tokens[name] = token
    return tokens


def invalidate(names):
    """Drop every page and fragment that depends on one of `names`, now.

    Writers call `newsroom.cache`, which calls this after their transaction
    commits."""
    names = set(names)
    if names and enabled():
        cache.delete_many([_key("t", name) for name in names])


def current_token(name):
    """The token of `name` if there is one (never makes one)."""
    return cache.get(_key("t", name))


# --- Recording what a page depends on -------------------------------------------


class PageRender:
    """A page being rendered for the shared cache."""

    def __init__(self):
        self.tokens = {}  # token key -> token: what the page depends on
        self.known = {}  # token key -> token: every token read for this page
        self.values = {}  # fragment key -> value: fragments fetched ahead
        self.layout = {}  # fragment name -> its token names: to fetch them ahead next time

    def record(self, name, token):
        self.tokens[_key("t", name)] = self.known[_key("t", name)] = token

    def read_tokens(self, names, *, timeout=None):
        """`read_tokens`, without reading again what this page has read."""
        tokens = {name: self.known[_key("t", name)] for name in names if _key("t", name) in self.known}
        missing = [name for name in names if name not in tokens]
        if missing:
            for name, token in read_tokens(missing, timeout=timeout).items():
                tokens[name] = self.known[_key("t", name)] = token
        return tokens

    def fetch_ahead(self, layout):
        """Fetch the values of the fragments this page showed last time (its
        layout) in one round trip (two if their tokens were not read with the
        entry), rather than one by one."""
        names = {name for token_names in layout.values() for name in token_names}
        unknown = [_key("t", name) for name in names if _key("t", name) not in self.known]
        if unknown:
            self.known.update(cache.get_many(unknown))
        keys = []
        for fragment_name, token_names in layout.items():
            tokens = [self.known.get(_key("t", name)) for name in token_names]
            if None not in tokens:
                keys.append(_fragment_key(fragment_name, tokens))
        if keys:
            self.values = cache.get_many(keys)


def depends_on(*names):
    """Record that the page being rendered shows data guarded by `names`.

    Views call it before they read that data (`PublicPageMixin` does it
    for the names a view lists in `page_dependencies`)."""
    render = _current_page.get()
    if render is None or not names:
        return
    for name, token in render.read_tokens(names).items():
        render.record(name, token)


def _fragment_key(name, tokens):
    return ":".join([_key("f", name), *tokens])


def fragment(name, compute, *, timeout, token=None, record=None, page_data=False):
    """A value shown by many pages, computed once and kept under its token(s).

    `token` names the token(s) that guard it (default: `name`), so that one
    invalidation drops a family of fragments (every event box under
    `events`). The page being rendered records them, unless `record` is given
    and says False for the value (an empty event box does not make its page
    depend on every event). Without the server cache, `compute()`.

    A fragment whose `compute` uses data the view read *before* rendering (the
    article object) sets `page_data`: it is kept only while rendering a shared
    page, under the token values read before the view ran, so that it cannot
    hold data older than its tokens; elsewhere it is computed afresh.
    """
    if not enabled():
        return compute()
    render = _current_page.get()
    names = (token or name,) if isinstance(token or name, str) else tuple(token)
    if page_data:
        if render is None or any(_key("t", n) not in render.tokens for n in names):
            return compute()
        tokens = {n: render.tokens[_key("t", n)] for n in names}
    else:
        # A fragment's own token lives as long as its value (the sidebars are
        # recomputed that often); a shared one (`events`) until invalidated.
        timeout_of_token = None if token else timeout
        tokens = (render.read_tokens if render else read_tokens)(names, timeout=timeout_of_token)
    key = _fragment_key(name, [tokens[n] for n in names])
    value = render.values.get(key, _MISSING) if render is not None else _MISSING
    if value is _MISSING:
        value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    if render is not None:
        render.layout[name] = names
        if record is None or record(value):
            for n in names:
                render.record(n, tokens[n])
    return value


def fragment_value(name):
    """The cached value of a fragment under its own current token, or None."""
    token = current_token(name)
    return None if token is None else cache.get(_fragment_key(name, [token]))


# --- Time slots and front-cache headers -------------------------------------------


@functools.lru_cache(maxsize=4096)
def _slot_offset(path, length):
    return int(hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:8], 16) % length


def time_slot(path, now):
    """(slot number, end of the slot) of `path` at `now`.

    Slots last PAGE_CACHE_TIMEOUT seconds, shifted per path so that the pages
    of the site do not all expire in the same second."""
    length = settings.PAGE_CACHE_TIMEOUT
    offset = _slot_offset(path, length)
    slot = int((now + offset) // length)
    return slot, (slot + 1) * length - offset


def front_cache_expires(now):
    """`X-Accel-Expires` for the nginx in front: fresh until the end of the
    current second (nginx counts whole seconds; a relative `1` would keep a
    page up to two seconds), or None when turned off."""
    seconds = settings.PAGE_CACHE_FRONT_SECONDS
    if seconds <= 0:
        return None
    return f"@{int(now) + seconds - 1}"


# --- The middleware -----------------------------------------------------------------


# Parameters that links shared on social networks and in newsletters add to
# an address and that no view reads: `?fbclid=…` is the same page, kept once.
TRACKING_PARAMETERS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga)$")


def cache_path(request):
    """The page's address as the cache keys it: the path and the query string
    without tracking parameters."""
    if not request.GET:
        return request.path
    kept = [(k, v) for k, values in request.GET.lists() if not TRACKING_PARAMETERS.match(k) for v in values]
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


def _entry_key(host, full_path):
    return _key("p", f"{host}{full_path}")


def _layout_key(host, full_path):
    return _key("l", f"{host}{full_path}")


def _is_shared_reader(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PENDING_COOKIE not in request.COOKIES
    )


@functools.lru_cache(maxsize=4096)
def _is_shared_path(path_info, urlconf):
    try:
        view = resolve(path_info, urlconf).func
    except Resolver404:
        return False
    return getattr(view, "shared_page", False) or getattr(
        getattr(view, "view_class", None), "shared_page", False
    )


def _is_shared_page(request):
    """The view opted in (`PublicPageMixin`, `public_page`, the feeds):
    nothing else is looked up in the page cache. Remembered per path."""
    return _is_shared_path(request.path_info, getattr(request, "urlconf", None))


def _storable(response):
    return (
        response.status_code == 200
        and getattr(response, "shared_cacheable", False)
        and not response.streaming
        and not response.cookies
    )


# Per process, the token keys of the pages served lately: only a hint to read
# them with the entry (a wrong or missing hint costs one more round trip).
_token_hints = {}
_TOKEN_HINTS_MAX = 10_000


def _keep(memo, key, value, limit):
    """Store in a per-process memo, emptied whole when full: what it holds
    only spares a round trip, so forgetting it costs one."""
    if key not in memo and len(memo) >= limit:
        memo.clear()
    memo[key] = value


def _hint(key, tokens):
    _keep(_token_hints, key, tuple(tokens), _TOKEN_HINTS_MAX)


# Per process, the pages it validated lately, to answer again from memory for
# PAGE_CACHE_LOCAL_MS: entry key -> (entry, valid until). Never past the end
# of the second it was validated in, so that nginx, which revalidates at
# whole seconds, still sees a change within the second it promises.
_recent = {}
_RECENT_MAX = 256


def _recent_entry(key, now, slot):
    found = _recent.get(key)
    if found is not None and now < found[1] and found[0]["slot"] == slot:
        return found[0]
    return None


def _remember(key, entry, now):
    window = settings.PAGE_CACHE_LOCAL_MS / 1000
    if window <= 0:
        return
    _keep(_recent, key, (entry, min(now + window, math.floor(now) + 1)), _RECENT_MAX)


class PageCacheMiddleware:
    """Serves anonymous readers' pages from the shared cache.

    Placed after WhiteNoise and before the session middleware: a hit skips
    sessions, CSRF, authentication and the view, in two cache round trips.
    On a miss the page is rendered in full (conditional headers are set
    aside meanwhile), with the fragments it showed last time fetched ahead,
    stored with its tokens, then answered like a hit, 304 included. The
    scheduled changes (`newsroom.cache.apply_due_changes`) are checked on
    the way in, so a scheduled article goes live at its time with no other
    trigger.
    """

    LAYOUT_TIMEOUT = 24 * 60 * 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not _is_shared_reader(request) or not _is_shared_page(request):
            return self.get_response(request)
        from newsroom.cache import SCHEDULE_KEY, apply_due_changes, schedule_is_due

        try:
            host = request.get_host()  # the ALLOWED_HOSTS check that CommonMiddleware would make
        except DisallowedHost:
            return self.get_response(request)
        now = time.time()
        full_path = cache_path(request)
        key, layout_key = _entry_key(host, full_path), _layout_key(host, full_path)
        slot, slot_end = time_slot(request.path, now)
        if (recent := _recent_entry(key, now, slot)) is not None:
            return self._answer(request, recent, now, "hit")
        own_tokens = [_key("t", page_name(request.path)), _key("t", EVERYTHING)]
        # The tokens this page read last time, read with its entry: a hit is
        # one round trip, and a miss has its fragments' tokens at hand.
        hinted = _token_hints.get(key, ())
        found = cache.get_many([key, layout_key, SCHEDULE_KEY, *own_tokens, *hinted])
        if schedule_is_due(found.get(SCHEDULE_KEY), now) and apply_due_changes(now):
            found = {layout_key: found.get(layout_key)}  # tokens may have changed: read them again
        entry = found.get(key)
        if entry is not None and entry["slot"] == slot:
            if any(token_key not in found for token_key in entry["tokens"]):
                # Stored by another worker or server: read its tokens with the
                # entry from now on, so that the next hit is one round trip.
                _hint(key, entry["tokens"])
            if self._tokens_unchanged(entry["tokens"], found):
                _remember(key, entry, now)
                return self._answer(request, entry, now, "hit")

        render = PageRender()
        render.known.update({k: found[k] for k in (*own_tokens, *hinted) if k in found})
        layout = found.get(layout_key) or {}
        render.fetch_ahead(layout)
        reset = _current_page.set(render)
        conditional = {name: request.META.pop(name) for name in _CONDITIONAL_HEADERS if name in request.META}
        try:
            depends_on(page_name(request.path), EVERYTHING)
            response = self.get_response(request)
        finally:
            _current_page.reset(reset)
            request.META.update(conditional)
        if not _storable(response):
            return response
        entry = {
            "slot": slot,
            "tokens": render.tokens,
            "etag": self._etag(full_path, render.tokens, slot),
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in _TRANSIENT_HEADERS],
            "content": response.content,
        }
        cache.set(key, entry, max(1, int(slot_end - now)))
        _hint(key, render.known)
        _remember(key, entry, now)
        if render.layout != layout:
            cache.set(layout_key, render.layout, self.LAYOUT_TIMEOUT)
        return self._answer(request, entry, now, "miss")

    @staticmethod
    def _tokens_unchanged(tokens, found):
        unread = [token_key for token_key in tokens if token_key not in found]
        current = {**found, **(cache.get_many(unread) if unread else {})}
        return all(current.get(token_key) == token for token_key, token in tokens.items())

    @staticmethod
    def _etag(full_path, tokens, slot):
        parts = "|".join([full_path, str(slot), *(f"{k}={tokens[k]}" for k in sorted(tokens))])
        return f'W/"{hashlib.sha256(parts.encode()).hexdigest()[:32]}"'

    # The headers a 304 keeps (RFC 9110 section 15.4.5, as Django's own).
    _NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "expires", "last-modified", "vary"}

    @classmethod
    def _answer(cls, request, entry, now, state):
        if cls._revalidated(request, entry["etag"]):
            # The reader's copy is current: a 304 made of a few stored
            # headers, without building the full page's answer first.
            response = HttpResponseNotModified()
            for header, value in entry["headers"]:
                if header.lower() in cls._NOT_MODIFIED_HEADERS:
                    response.headers[header] = value
            response.headers["ETag"] = entry["etag"]
            return cls._front_headers(response, now, state)
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response.headers[header] = value
        response.headers["ETag"] = entry["etag"]
        response.headers["Content-Length"] = str(len(entry["content"]))
        last_modified = response.headers.get("Last-Modified")
        answer = get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
        return cls._front_headers(answer, now, state)

    @staticmethod
    def _revalidated(request, etag):
        """True when the request is a plain revalidation (If-None-Match only,
        the common case of browsers and of nginx) that `etag` satisfies."""
        meta = request.META
        if "HTTP_IF_MATCH" in meta or "HTTP_IF_UNMODIFIED_SINCE" in meta:
            return False
        tags = parse_etags(meta.get("HTTP_IF_NONE_MATCH", ""))
        bare = etag.removeprefix("W/")
        return "*" in tags or any(tag.removeprefix("W/") == bare for tag in tags)

    @staticmethod
    def _front_headers(answer, now, state):
        expires = front_cache_expires(now)
        if expires:
            answer.headers["X-Accel-Expires"] = expires
        answer.headers["X-Page-Cache"] = state  # as nginx's X-Cache-Status, for operators
        return answer
