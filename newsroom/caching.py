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
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


def apply_cache_policy(request, response, *, personalised=False):
    """Set `Cache-Control` and `Vary` on `response` for `request`; returns the response."""
    patch_vary_headers(response, ["Cookie"])
    if personalised:
        patch_cache_control(response, private=True, no_store=True)
    elif request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
            must_revalidate=True,
        )
    return response


class PublicPageMixin:
    """For generic views that readers see. A view (or the comments block)
    marks its context `personalised=True` when the page holds something meant
    for one reader only."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return apply_cache_policy(self.request, response, personalised=context.get("personalised", False))


def public_page(view):
    """Decorator: the cache policy above for a function view (feeds, sitemap)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return apply_cache_policy(request, view(request, *args, **kwargs))

    return wrapper
