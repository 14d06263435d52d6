from django.http import HttpResponsePermanentRedirect

from newsroom.caching import apply_cache_policy
from redirects.notfound import count_not_found, should_count
from redirects.services import find_redirect


class RedirectFallbackMiddleware:
    """On a 404 only: answer 301 when the address moved (one indexed query),
    otherwise count the 404 in the cache. Pages that answer cost nothing
    more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = find_redirect(request.path)
        if target:
            query = request.META.get("QUERY_STRING", "")
            redirect = HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
            return apply_cache_policy(request, redirect)
        if should_count(request):
            count_not_found(request.path)
        return response
