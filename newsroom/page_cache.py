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
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

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
    """What the page being rendered for the shared cache depends on."""

    def __init__(self):
        self.tokens = {}  # token key -> token

    def add(self, name, token):
        self.tokens[_key("t", name)] = token


def depends_on(*names):
    """Record that the page being rendered shows data guarded by `names`.

    Views call it before they read that data (`PublicPageMixin` does it
    for the names a view lists in `page_dependencies`)."""
    render = _current_page.get()
    if render is None or not names:
        return
    for name, token in read_tokens(names).items():
        render.add(name, token)


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
        if render is None or not all(_key("t", n) in render.tokens for n in names):
            return compute()
        values = {n: render.tokens[_key("t", n)] for n in names}
    else:
        # Tokens this page has read already are not read again. A fragment's
        # own token lives as long as its value (the sidebars are recomputed
        # that often); a shared one (`events`) until invalidated.
        known = render.tokens if render is not None else {}
        values = {n: known[_key("t", n)] for n in names if _key("t", n) in known}
        missing = [n for n in names if n not in values]
        if missing:
            values.update(read_tokens(missing, timeout=None if token else timeout))
    key = ":".join([_key("f", name), *(values[n] for n in names)])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    if render is not None and (record is None or record(value)):
        for n in names:
            render.add(n, values[n])
    return value


def fragment_value(name, *, token=None):
    """The cached value of a fragment under its current token, or None."""
    token_value = current_token(token or name)
    if token_value is None:
        return None
    return cache.get(f"{_key('f', name)}:{token_value}")


# --- Time slots and front-cache headers -------------------------------------------


def time_slot(path, now):
    """(slot number, end of the slot) of `path` at `now`.

    Slots last PAGE_CACHE_TIMEOUT seconds, shifted per path so that the pages
    of the site do not all expire in the same second."""
    length = settings.PAGE_CACHE_TIMEOUT
    offset = int(hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:8], 16) % length
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


def _entry_key(host, full_path):
    return _key("p", f"{host}{full_path}")


def _is_shared_reader(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PENDING_COOKIE not in request.COOKIES
    )


def _storable(response):
    return (
        response.status_code == 200
        and getattr(response, "shared_cacheable", False)
        and not response.streaming
        and not response.cookies
    )


class PageCacheMiddleware:
    """Serves anonymous readers' pages from the shared cache.

    Placed after WhiteNoise and before the session middleware: a hit skips
    sessions, CSRF, authentication and the view. On a miss the page is
    rendered in full (conditional headers are set aside meanwhile), stored
    with its tokens, then answered like a hit, 304 included. The scheduled
    changes (`newsroom.cache.apply_due_changes`) are checked on the way in,
    so a scheduled article goes live at its time with no other trigger.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not _is_shared_reader(request):
            return self.get_response(request)
        from newsroom.cache import SCHEDULE_KEY, apply_due_changes, schedule_is_due

        try:
            host = request.get_host()  # the ALLOWED_HOSTS check that CommonMiddleware would make
        except DisallowedHost:
            return self.get_response(request)
        now = time.time()
        full_path = request.get_full_path()
        key = _entry_key(host, full_path)
        found = cache.get_many([key, SCHEDULE_KEY])
        entry = found.get(key)
        if schedule_is_due(found.get(SCHEDULE_KEY), now) and apply_due_changes(now):
            entry = None
        slot, slot_end = time_slot(request.path, now)
        if entry is not None and entry["slot"] == slot and self._tokens_unchanged(entry["tokens"]):
            return self._answer(request, entry, now, "hit")

        render = PageRender()
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
        return self._answer(request, entry, now, "miss")

    @staticmethod
    def _tokens_unchanged(tokens):
        if not tokens:
            return True
        return cache.get_many(list(tokens)) == tokens

    @staticmethod
    def _etag(full_path, tokens, slot):
        parts = "|".join([full_path, str(slot), *(f"{k}={tokens[k]}" for k in sorted(tokens))])
        return f'W/"{hashlib.sha256(parts.encode()).hexdigest()[:32]}"'

    @staticmethod
    def _answer(request, entry, now, state):
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response.headers[header] = value
        response.headers["ETag"] = entry["etag"]
        last_modified = response.headers.get("Last-Modified")
        answer = get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
        expires = front_cache_expires(now)
        if expires:
            answer.headers["X-Accel-Expires"] = expires
        answer.headers["X-Page-Cache"] = state  # as nginx's X-Cache-Status, for operators
        return answer
