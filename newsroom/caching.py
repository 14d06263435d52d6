"""HTTP caching policy of public pages.

Anonymous readers get the same bytes for everyone: `Cache-Control: public`
with a short max-age, an ETag (ConditionalGetMiddleware) so that a shared
cache or a browser revalidates with a 304, no cookie and no per-request
token. Logged-in staff, and responses personalised for one reader (their
form errors, their pending comment), are private and never stored.

Every public response also says `Vary: Cookie`. Readers without cookies (the
site sets none for them) still share one cached copy; a reader who holds the
signed cookie of their pending comments, or a staff session, never gets the
copy cached for everybody else, so they see their own comment in place.

A response marked public here is also what the server-side page cache
(`newsroom/page_cache.py`) may keep; the names a view lists in
`page_dependencies` tell it which invalidations drop the page.
"""

import time
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

from newsroom.page_cache import depends_on, front_cache_expires


def apply_cache_policy(request, response, *, personalised=False):
    """Set `Cache-Control` and `Vary` on `response` for `request`; returns the response."""
    patch_vary_headers(response, ["Cookie"])
    if personalised:
        patch_cache_control(response, private=True, no_store=True)
    elif request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        expires = front_cache_expires(time.time())
        if expires:
            response["X-Accel-Expires"] = expires
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
            must_revalidate=True,
        )
        response.shared_cacheable = True
    return response


class PublicPageMixin:
    """For generic views that readers see. A view (or the comments block)
    marks its context `personalised=True` when the page holds something meant
    for one reader only. `page_dependencies` names what the page shows besides
    the data at its own address (`events` for every page showing an event)."""

    page_dependencies = ()
    shared_page = True  # looked up in the server-side page cache

    def dispatch(self, request, *args, **kwargs):
        depends_on(*self.page_dependencies)
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return apply_cache_policy(self.request, response, personalised=context.get("personalised", False))


def public_page(view=None, *, dependencies=()):
    """Decorator: the cache policy above for a function view (feeds, sitemap),
    with the token names it depends on (see `PublicPageMixin`)."""
    if view is None:
        return lambda view: public_page(view, dependencies=dependencies)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        depends_on(*dependencies)
        return apply_cache_policy(request, view(request, *args, **kwargs))

    wrapper.shared_page = True
    return wrapper
