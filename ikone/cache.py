"""A Redis cache that degrades to "no cache" instead of failing the request.

The cache is an optimisation: when Redis is unreachable (stopped, frozen, network gone), a
read answers as a miss, a write is skipped, and the page is rendered without it. Short
socket timeouts (settings ``CACHES``) bound what the first failing call costs; after a
failure the process does not ask Redis again for ``retry_seconds`` (a process-local circuit
breaker), so later requests pay nothing. The first failure of an outage and the recovery
are logged once.

Two kinds of keys must not simply be "pretended" while Redis is away:

* allauth's record of used TOTP codes (``FAIL_CLOSED``): ``add()`` answers False, as if
  the code had been used, so a code is refused rather than accepted twice. Recovery codes
  live in the database and keep working.
* allauth's login rate limits (``RATE_LIMITS``): they fail *open* (logins are allowed
  without the limit), which is logged once per outage as a security warning.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

log = logging.getLogger("ikone.cache")
security_log = logging.getLogger("ikone.security")

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

FAIL_CLOSED = ("allauth.mfa.totp.used",)
RATE_LIMITS = ("allauth:rl:",)


class Breaker:
    """Process-local state of one Redis location: up, or down until ``open_until``."""

    def __init__(self, location: str):
        self.location = location
        self.lock = threading.Lock()
        self.down = False
        self.open_until = 0.0
        self.outages = 0  # outages this process has seen (ikone.pagecache bumps after one)
        self.failed_calls = 0  # calls that went to Redis and got no answer (each one waited)
        self.rate_limits_warned = False

    def allows(self) -> bool:
        return not self.down or time.monotonic() >= self.open_until

    def failed(self, error: Exception, retry_seconds: float) -> None:
        with self.lock:
            self.failed_calls += 1
            self.open_until = time.monotonic() + retry_seconds
            if self.down:
                return
            self.down = True
            self.outages += 1
        log.warning(
            "cache unreachable (%s: %s); serving without it, next try in %.0f s",
            type(error).__name__,
            error,
            retry_seconds,
        )

    def succeeded(self) -> None:
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
            self.rate_limits_warned = False
        log.warning("cache reachable again")


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> Breaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(location)
        return _breakers[location]


class RedisCache(DjangoRedisCache):
    """Django's Redis cache; an unreachable Redis reads as a miss and skips writes.

    ``OPTIONS["retry_seconds"]`` (default 5): how long a process leaves Redis alone after a
    failure. Every other option goes to redis-py as with Django's backend.
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.breaker = breaker_for(";".join(self._servers))

    # --- State, for the health check and the page cache -----------------------------------

    @property
    def reachable(self) -> bool:
        return not self.breaker.down

    @property
    def outages(self) -> int:
        return self.breaker.outages

    def ping(self) -> bool:
        """Ask Redis now (unless the breaker says wait); True if it answered."""
        return self._guard(lambda: self._cache.get_client(write=True).ping(), False)

    # --- Guarded operations ---------------------------------------------------------------

    def _guard(self, operation, fallback, key=None):
        if not self.breaker.allows():
            self._skipped(key)
            return fallback
        try:
            result = operation()
        except UNREACHABLE as error:
            self.breaker.failed(error, self.retry_seconds)
            self._skipped(key)
            return fallback
        self.breaker.succeeded()
        return result

    def _skipped(self, key) -> None:
        if (
            isinstance(key, str)
            and key.startswith(RATE_LIMITS)
            and not self.breaker.rate_limits_warned
        ):
            self.breaker.rate_limits_warned = True
            security_log.warning(
                "login rate limits are NOT enforced while the cache is unreachable (failing open)"
            )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fallback = not key.startswith(FAIL_CLOSED)
        return self._guard(partial(super().add, key, value, timeout, version), fallback, key)

    def get(self, key, default=None, version=None):
        return self._guard(partial(super().get, key, default, version), default, key)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(partial(super().set, key, value, timeout, version), None, key)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(partial(super().touch, key, timeout, version), False, key)

    def delete(self, key, version=None):
        return self._guard(partial(super().delete, key, version), False, key)

    def get_many(self, keys, version=None):
        return self._guard(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(partial(super().has_key, key, version), False, key)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(partial(super().incr, key, delta, version), missing, key)
        if result is missing:  # answer as for a key that is not there
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guard(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._guard(super().clear, False)
