"""Whole-page cache for anonymous visitors, invalidated by a version number in the cache.

Every public news page is cached under a key that contains the current version; services
bump the version when a post is published, changed or withdrawn, so all cached pages become
unreachable at once. The version lives in the shared cache (Redis in production), so it
works across processes; the entries expire on their own.

Each process re-reads the shared version at most every ``IKONE_NEWS_VERSION_SECONDS``
(default 1 s; 0 reads it on every request): a publication shows at once in the process
that made it and within that interval everywhere else, and a cache hit then costs no
round trip to Redis at all.

Pages are kept in the shared cache and, as a second layer, in a small per-process LRU keyed
by the same version: a hit then costs no unpickling. The local layer serves nothing older
than the version it was stored under.
"""

import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

VERSION_KEY = "news:page-version"
# Bounded, because the homepage also shows member data that does not bump the version.
PAGE_TIMEOUT = 10 * 60
# The language switch form carries a CSRF token; cached pages hold a placeholder instead, and
# every visitor gets their own token filled in.
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"__IKONE_CSRF_TOKEN__"


_seen = {"version": None, "until": 0.0, "outages": 0}


def _cache_reachable() -> bool:
    return getattr(cache, "reachable", True)  # only ikone.cache.RedisCache can be unreachable


def current_version() -> int:
    """The shared version, re-read at most every ``IKONE_NEWS_VERSION_SECONDS`` per process.

    With the cache unreachable every reading is a fresh value: pages are rendered anew (at
    most once per interval and process) rather than served from a layer nobody can
    invalidate. After an outage the first reading bumps the shared version: a publication
    meanwhile, here or in another process, could not bump it.
    """
    now = time.monotonic()
    if _seen["version"] is not None and now < _seen["until"]:
        return _seen["version"]
    version = cache.get(VERSION_KEY)
    if not _cache_reachable():
        version = _fresh_version()
    elif getattr(cache, "outages", 0) != _seen["outages"]:
        _seen["outages"] = cache.outages
        bump_version()
        return _seen["version"]
    elif version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    _remember(version)
    return version


def bump_version() -> None:
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, evicted, or the cache is unreachable
        version = _fresh_version()
        cache.set(VERSION_KEY, version, timeout=None)
    _remember(version)


def _remember(version: int) -> None:
    _seen["version"], _seen["until"] = (
        version,
        time.monotonic() + settings.IKONE_NEWS_VERSION_SECONDS,
    )


def forget_version() -> None:
    """Read the shared version on the next request (tests, after clearing the cache)."""
    _seen["version"] = None


def _fresh_version() -> int:
    """A value no earlier version had (nanoseconds), should the counter have been evicted."""
    return time.time_ns()


LOCAL_SIZE = 256


class _LocalPages:
    """A bounded, thread-safe LRU of rendered pages (content, content type) per process."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, tuple[bytes, str, float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            if item[2] < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return item[:2]

    def set(self, key: str, value: tuple[bytes, str]) -> None:
        with self.lock:
            self.items[key] = (*value, time.monotonic() + PAGE_TIMEOUT)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


local_pages = _LocalPages(LOCAL_SIZE)


def cache_anonymous_page(view):
    """Serve a cached copy of ``view``'s response to anonymous visitors (GET, status 200)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        anonymous = not request.user.is_authenticated and request.method == "GET"
        if not anonymous or request.COOKIES.get("messages"):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"news:page:{current_version()}:{translation.get_language()}:{path}"
        cached = local_pages.get(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                local_pages.set(key, cached)
        if cached is not None:
            content, content_type = cached
            if _CSRF_PLACEHOLDER in content:
                content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            content = _CSRF_INPUT.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
            cache.set(key, (content, response["Content-Type"]), PAGE_TIMEOUT)
            local_pages.set(key, (content, response["Content-Type"]))
        return response

    return wrapper
