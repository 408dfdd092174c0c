"""Whole-page cache for anonymous visitors, invalidated by a version number in the cache.

Every public page decorated with :func:`cache_anonymous_page` (the home page, the news
pages) is cached under a key that contains the current version. An app whose content such a
page shows makes them all stale at once: its services call :func:`invalidate` (or
``transaction.on_commit(bump_version)``), or it names its models in
:func:`invalidate_on_change` from its ``AppConfig.ready()``; this module knows no app.
The version lives in the shared cache (Redis in production), so it works across processes;
the entries expire on their own.

Each process re-reads the shared version at most every ``IKONE_NEWS_VERSION_SECONDS``
(default 1 s; 0 reads it on every request): a publication shows at once in the process
that made it and within that interval everywhere else, and a cache hit then costs no
round trip to Redis at all.

Pages are kept in the shared cache and, as a second layer, in a small per-process LRU keyed
by the same version: a hit then costs no unpickling. The local layer serves nothing older
than the version it was stored under.

Keys hold only the query parameters a view declares (``cache_anonymous_page(params=…)``),
in canonical form, so junk parameters cannot flood the cache. ``AnonymousPageMiddleware``
answers hits for visitors without a session near the top of the middleware stack.
"""

import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The names date from when only news pages were cached; kept so running caches stay valid.
VERSION_KEY = "news:page-version"
PAGE_KEY_PREFIX = "news:page"
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


def invalidate() -> None:
    """Make every cached page stale once the current transaction commits (at once outside one).

    For any app whose content a cached page shows; nothing changes if the transaction rolls
    back.
    """
    transaction.on_commit(bump_version)


def _changed(sender, **kwargs) -> None:
    invalidate()


def invalidate_on_change(*models) -> None:
    """Invalidate after every save and delete of ``models`` (from an app's ``ready()``).

    For content shown on cached pages that is written from several places (services, the
    admin): the app names the models once instead of every writer remembering the cache.
    """
    for model in models:
        uid = f"ikone-pagecache-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")


def forget_version() -> None:
    """Read the shared version on the next request (tests, after clearing the cache)."""
    _seen["version"] = None


def _fresh_version() -> int:
    """A value no earlier version had (nanoseconds), should the counter have been evicted."""
    return time.time_ns()


LOCAL_SIZE = 256


class _BoundedLru:
    """A bounded, thread-safe map per process; the least recently used entry goes first."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        return self.items.get(key)

    def set(self, key: str, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


class _LocalPages(_BoundedLru):
    """Rendered pages (content, content type) per process, each for ``PAGE_TIMEOUT``."""

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
        super().set(key, (*value, time.monotonic() + PAGE_TIMEOUT))


local_pages = _LocalPages(LOCAL_SIZE)


class _Routes(_BoundedLru):
    """Paths this process has served a cached page for, with the parameters their view uses
    and its ``accept`` check (path -> (parameter names, accept or None)).

    The early middleware answers only these paths (no URL resolving), with the same key the
    view's decorator computes.
    """


routes = _Routes(4 * LOCAL_SIZE)


def _normalised(name: str, value: str) -> str:
    value = " ".join(value.split())
    if name == "page":  # "1", "01", "x" and "" all show the first page
        return str(int(value)) if value.isascii() and value.isdigit() and int(value) > 1 else ""
    return value


def canonical_query(query: QueryDict, params: tuple[str, ...]) -> QueryDict:
    """Only the parameters the view uses, sorted, the last value of each, normalised, no
    empty ones: every other spelling of the same page maps to the same cache key."""
    canonical = QueryDict(mutable=True)
    for name in params:
        value = query.get(name)
        if value is not None and (value := _normalised(name, value)):
            canonical[name] = value
    canonical._mutable = False
    return canonical


def page_key(path: str, query: QueryDict, language: str, host: str = "") -> str:
    """The cache key of a page; ``host`` because a page may hold absolute URLs."""
    digest = hashlib.sha256(f"{host}{path}?{query.urlencode()}".encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{current_version()}:{language}:{digest}"


def _cached_page(key: str):
    cached = local_pages.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is not None:
            local_pages.set(key, cached)
    return cached


def cache_anonymous_page(view=None, *, params: tuple[str, ...] = (), accept=None):
    """Serve a cached copy of ``view``'s response to anonymous visitors (GET, status 200).

    ``params``: the query parameters the view reads. Only these make up the cache key (in
    canonical form, see ``canonical_query``), and the view sees only these, so a request
    with any other parameters gets, and stores, the very same page.
    ``accept(query) -> bool``: for views that must answer odd parameters themselves (an API
    that says 400 where a page would show page 1); a request it refuses bypasses the cache.
    """
    if view is None:
        return functools.partial(cache_anonymous_page, params=params, accept=accept)
    params = tuple(sorted(set(params)))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        anonymous = not request.user.is_authenticated and request.method == "GET"
        if not anonymous or request.COOKIES.get("messages"):
            return view(request, *args, **kwargs)
        if accept is not None and not accept(request.GET):
            return view(request, *args, **kwargs)
        query = canonical_query(request.GET, params)
        key = page_key(request.path_info, query, translation.get_language(), request.get_host())
        cached = _cached_page(key)
        if cached is not None:
            routes.set(request.path_info, (params, accept))
            content, content_type = cached
            if _CSRF_PLACEHOLDER in content:
                content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
            return HttpResponse(content, content_type=content_type)
        original = request.GET, request.META.get("QUERY_STRING", "")
        request.GET, request.META["QUERY_STRING"] = query, query.urlencode()
        try:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                content = _CSRF_INPUT.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
                cache.set(key, (content, response["Content-Type"]), PAGE_TIMEOUT)
                local_pages.set(key, (content, response["Content-Type"]))
                routes.set(request.path_info, (params, accept))
        finally:
            request.GET, request.META["QUERY_STRING"] = original
        return response

    return wrapper


class AnonymousPageMiddleware:
    """Answer a cached anonymous page before session, locale, CSRF, auth and messages run.

    Sits after the security, CSP and X-Frame-Options middlewares (they still add their
    headers) and before the session middleware. It serves only requests without a session
    or messages cookie for paths the page cache has served before, under the key the
    view's decorator uses (language from cookie or Accept-Language, as LocaleMiddleware
    decides it without i18n URL prefixes), and adds the headers the skipped middlewares
    would have added. Anything else goes down the whole stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        response = self._cached(request)
        return response if response is not None else self.get_response(request)

    def _cached(self, request):
        if request.method != "GET":
            return None
        route = routes.get(request.path_info)
        if route is None:
            return None
        params, accept = route
        cookies = request.COOKIES
        if self.session_cookie in cookies or cookies.get("messages"):
            return None
        try:
            host = request.get_host()  # an unknown host gets its 400 from the whole stack
        except DisallowedHost:
            return None
        if accept is not None and not accept(request.GET):
            return None
        language = translation.get_language_from_request(request)
        key = page_key(request.path_info, canonical_query(request.GET, params), language, host)
        cached = _cached_page(key)
        if cached is None or _CSRF_PLACEHOLDER in cached[0]:
            return None
        content, content_type = cached
        response = HttpResponse(content, content_type=content_type)
        # LocaleMiddleware's, SessionMiddleware's (the decorator looked at request.user)
        # and CommonMiddleware's headers on the whole stack:
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers["Content-Language"] = language
        response.headers["Content-Length"] = str(len(content))
        return response
