"""One log line per process and interval while the shared cache is down.

django-redis, told to ignore Redis failures (`IGNORE_EXCEPTIONS`), logs each
one with its traceback (`DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS`): about forty
per page while Redis is down, which buries everything else in the logs and
costs more than rendering the page. This filter, on the logger
`django_redis.cache`, lets the first failure of each `seconds` through as
one line that names the error and counts the others, without the traceback.
"""

import logging
import threading
import time


class CacheOutageLines(logging.Filter):
    def __init__(self, seconds=10):
        super().__init__()
        self.seconds = seconds
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        self._last = None
        self._skipped = 0

    def filter(self, record):
        if getattr(record, "cache_outage_line", False):
            return True  # already written by another instance (logging configured twice)
        now = time.monotonic()
        with self._lock:
            if self._last is not None and now - self._last < self.seconds:
                self._skipped += 1
                return False
            skipped, self._skipped, self._last = self._skipped, 0, now
        error = record.exc_info[1] if record.exc_info else None
        cause = f"{type(error).__name__}: {error}" if error else record.getMessage()
        record.msg = "Cache unavailable, pages served without it: %s (%d more failures in the last %d s)"
        record.args = (cause, skipped, self.seconds)
        record.exc_info = record.exc_text = None
        record.cache_outage_line = True
        return True
