"""Redis as the cache, and a site that keeps serving when Redis is gone;
the local memory cache when there is no Redis.

Nothing that must last lives in the cache: counters are written to the
database, the page cache is keyed by the content version in the database,
ad campaigns are re-read from the database. So while Redis cannot be
reached the backend acts like Django's DummyCache (every read a miss, every
write dropped) instead of failing the page.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

# After a failure the backend skips Redis this long, so that a dead server
# costs one timeout every few seconds per process instead of one per call.
RETRY_SECONDS = 5
UNAVAILABLE = object()


class WithoutMemcachedKeyRules:
    """Neither Redis nor the local memory has memcached's limits on keys
    (250 characters, no spaces or control characters), which Django checks
    character by character, in Python, on every call: about 17,000
    instructions a read (a third of it), and a page from the cache reads
    three times."""

    def validate_key(self, key):
        pass


class LocalMemoryCache(WithoutMemcachedKeyRules, LocMemCache):
    pass


class ForgivingRedisCache(WithoutMemcachedKeyRules, RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._skip_until = 0.0

    def _try(self, fallback, method, *args):
        if time.monotonic() < self._skip_until:
            return fallback
        try:
            return method(*args)
        except (ConnectionError, TimeoutError) as error:
            self._skip_until = time.monotonic() + RETRY_SECONDS
            # Once per RETRY_SECONDS and process at most.
            logger.warning(
                "Redis is unreachable (%s); serving without the cache for %s s.",
                error,
                RETRY_SECONDS,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._try(UNAVAILABLE, super().incr, key, delta, version)
        if value is UNAVAILABLE:
            raise ValueError(f"Key '{key}' not found")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._try(None, super().delete_many, keys, version)

    def clear(self):
        self._try(None, super().clear)
