"""A Redis outage: public pages, login and the health check work on without the cache.

Each test runs its own redis-server (ports 6421-6429, so stopping or freezing it harms
nobody else) with the project's cache settings (``settings.REDIS_CACHE``), then kills it or
freezes it with SIGSTOP, as a crashed or hung Redis would be.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from ikone import cache as ikone_cache
from ikone import pagecache as caching
from tests.factories import CoordinatorFactory, MemberContactFactory
from tests.news.factories import PublishedPostFactory
from tests.services import require
from tests.totp import TOTP_SECRET, current_code

pytestmark = pytest.mark.django_db

PORTS = range(6421, 6430)
PASSWORD = "ein-langes-passwort-123"
# The old backend waited 2 s per call; "fast" is well under that, with room for a slow CI.
FAST = 1.0


class PrivateRedis:
    def __init__(self):
        self.port = self._free_port()
        self.process = None

    @staticmethod
    def _free_port() -> int:
        for port in PORTS:
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError("no free port in 6421-6429")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one must be able to die
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def _forget_breakers():
    ikone_cache._breakers.clear()
    caching.local_pages.clear()
    caching.forget_version()
    caching._seen["outages"] = 0


@pytest.fixture
def private_redis(settings):
    require("redis-server", shutil.which("redis-server") is not None, "not installed")
    server = PrivateRedis().start()
    _forget_breakers()
    # The breaker stays open for the whole test (unless a test shortens it), so counting the
    # calls that went to Redis does not depend on how fast a loaded machine runs the test.
    options = {**settings.REDIS_CACHE["OPTIONS"], "retry_seconds": 600}
    settings.CACHES = {
        "default": {**settings.REDIS_CACHE, "LOCATION": server.url, "OPTIONS": options}
    }
    settings.IKONE_NEWS_VERSION_SECONDS = 0  # every request asks the cache
    yield server
    server.kill()
    _forget_breakers()


def _timed(client, method, path, data=None):
    started = time.monotonic()
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    return response, time.monotonic() - started


def _public_pages_work(client, post):
    for path in ("/", reverse("news:list"), post.get_absolute_url()):
        response = client.get(path)
        assert response.status_code == 200, path
        assert post.title in response.content.decode(), path


def _calls_that_waited() -> int:
    from django.core.cache import cache

    return cache.breaker.failed_calls


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_public_pages_render_without_the_cache(client, private_redis, fault):
    """Not a speed test (timings flake on a loaded machine): what is asserted is that only
    the first cache call after the outage goes to Redis (and, frozen, waits for its socket
    timeout); every later call of the three pages and of five more requests skips Redis."""
    post = PublishedPostFactory(title="Smarte Laternen")
    _public_pages_work(client, post)  # warm: the pages are cached now
    assert _calls_that_waited() == 0
    private_redis.kill() if fault == "stopped" else private_redis.freeze()

    _public_pages_work(client, post)
    assert _calls_that_waited() == 1  # the first failure opened the breaker
    for _ in range(5):
        assert client.get(reverse("news:list")).status_code == 200
    assert _calls_that_waited() == 1  # nobody waits for Redis any more


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_login_works_without_the_cache(client, private_redis, fault, settings):
    """A login makes some 28 cache calls (allauth's rate limits): the first one that fails
    opens the breaker and the others skip Redis, so the socket timeouts bound the wait."""
    user = MemberContactFactory().user
    private_redis.kill() if fault == "stopped" else private_redis.freeze()

    response, elapsed = _timed(
        client, "post", reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("members:area")
    assert client.session["_auth_user_id"] == str(user.pk)
    from django.core.cache import cache

    assert not cache.reachable  # the cache noticed the outage: later calls skip Redis
    # Not a speed test (that is bench/): waiting on every call would cost 28 socket timeouts
    # (7 s at the default 0.25 s); ten of them leave a loaded machine plenty of room.
    socket_timeout = settings.CACHES["default"]["OPTIONS"]["socket_timeout"]
    assert elapsed < 10 * socket_timeout, f"the login took {elapsed:.2f} s"
    assert client.get(reverse("members:area")).status_code == 200


def test_login_rate_limits_fail_open_and_say_so(client, private_redis, caplog):
    """The documented direction: without Redis the limits are not enforced, and logged."""
    user = MemberContactFactory().user
    private_redis.kill()

    with caplog.at_level(logging.WARNING, logger="ikone.security"):
        for _ in range(12):  # more than login_failed's 10/m/ip and 5/5m/key
            response = client.post(
                reverse("account_login"), {"login": user.email, "password": "falsch-falsch"}
            )
            assert response.status_code == 200  # the form with an error, never a 429 or 500
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )

    assert response.status_code == 302
    warnings = [r for r in caplog.records if "rate limits are NOT enforced" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not per request


def test_rate_limits_are_enforced_while_the_cache_is_up(client, private_redis):
    user = MemberContactFactory().user
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "falsch-falsch"})

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def _totp_login(client, user, code):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_a_used_totp_code_does_not_become_reusable_when_redis_is_down(
    private_redis, fault, settings
):
    """Used codes are recorded in Redis only: without it a code is refused (fail closed)."""
    settings.IKONE_STAFF_REQUIRE_MFA = True
    coordinator = CoordinatorFactory()
    TOTP.activate(coordinator, TOTP_SECRET)
    from django.core.cache import cache

    # the connection to the fresh server is open before the login marks its code used
    cache.set("warm", "up")
    assert cache.get("warm") == "up" and cache.reachable
    code = current_code()
    first = Client()
    assert _totp_login(first, coordinator, code).status_code == 302
    private_redis.kill() if fault == "stopped" else private_redis.freeze()

    second = Client()
    response = _totp_login(second, coordinator, code)

    assert response.status_code == 200  # the code form again, with an error
    assert "_auth_user_id" not in second.session


def test_health_reports_the_unreachable_cache_without_failing(client, private_redis):
    assert client.get("/health/").json() == {"status": "ok"}
    private_redis.freeze()

    response, elapsed = _timed(client, "get", "/health/")

    assert response.status_code == 200  # web keeps serving; compose must not restart it
    assert response.json() == {"status": "degraded", "cache": "unreachable"}
    assert elapsed < FAST


def test_cache_is_used_again_after_the_outage(client, private_redis, settings):
    """After ``retry_seconds`` the process asks Redis again, and what was published during
    the outage shows at once (the first reading after it bumps the version)."""
    options = {**settings.REDIS_CACHE["OPTIONS"], "retry_seconds": 0.3}
    settings.CACHES = {
        "default": {**settings.REDIS_CACHE, "LOCATION": private_redis.url, "OPTIONS": options}
    }
    PublishedPostFactory(title="Erster Beitrag")
    assert "Erster Beitrag" in client.get(reverse("news:list")).content.decode()
    private_redis.freeze()
    assert client.get("/health/").json()["status"] == "degraded"
    PublishedPostFactory(title="Während des Ausfalls")  # the version bump is lost
    private_redis.thaw()
    time.sleep(0.4)

    assert client.get("/health/").json() == {"status": "ok"}
    assert "Während des Ausfalls" in client.get(reverse("news:list")).content.decode()
    from django.core.cache import cache

    assert cache.get(caching.VERSION_KEY) is not None  # the shared version is in use again
