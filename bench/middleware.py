from newsroom import page_cache


class ForceMissMiddleware:
    """Bench only: a request carrying `X-Bench-Miss` finds no page in the
    server cache (its entry is deleted first, in Redis and in the worker's
    memory), so that it measures a miss as a reader meets one: lookup,
    rendering with the shared fragments at hand, storing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_BENCH_MISS" in request.META:
            key = page_cache._entry_key(request.get_host(), page_cache.cache_path(request))
            page_cache.cache.delete(key)
            page_cache._recent.pop(key, None)  # and the worker's own copy
        return self.get_response(request)
