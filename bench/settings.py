"""Settings of `make bench`: the production settings (read from the
environment the bench sets), plus what only a benchmark needs:

- a Django hello-world view at /bench/hello/ (`bench.urls`), the yardstick
  of the issue's ratios, through the same middleware as every page;
- `bench.middleware.ForceMissMiddleware`, which drops the page's server cache
  entry when a request carries `X-Bench-Miss`, to measure a page cache miss.

Neither ships in `newsroom.settings`.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
_page_cache = MIDDLEWARE.index("newsroom.page_cache.PageCacheMiddleware")
MIDDLEWARE = [*MIDDLEWARE[:_page_cache], "bench.middleware.ForceMissMiddleware", *MIDDLEWARE[_page_cache:]]
