"""Fixtures shared by the whole suite."""

import os

import pytest
from django.core.cache import cache

from ikone.celery import app as celery_app
from tests.services import redis_available, require, smtp_server  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    """Fast hashing, mail kept in memory, tasks run in-process, a clean cache per test."""
    # Private uploads of each test in a folder of its own (never the checkout's var/private).
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.IKONE_STAFF_REQUIRE_MFA = False
    # The production shape (DATABASE_URL set) uses the manifest storage, which needs
    # collectstatic; tests render templates straight from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    celery_app.conf.task_always_eager = True
    cache.clear()
    # The news page cache keeps a per-process layer beside the shared cache.
    from ikone.pagecache import forget_version, local_pages

    local_pages.clear()
    forget_version()
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def postgres(db):
    """The test runs on PostgreSQL (skip, or fail in CI, otherwise)."""
    from django.db import connection

    require("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    return connection


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    ok, reason = redis_available(url)
    require("Redis", ok, reason)
    return url


@pytest.fixture
def celery_worker_factory(transactional_db, postgres, redis_url):
    """Start real Celery worker processes; the test process publishes to Redis meanwhile."""
    from tests.services import WorkerProcess, worker_env

    workers = []
    celery_app.conf.task_always_eager = False

    def start(*, smtp_port=None, name="w", **extra):
        worker = WorkerProcess(env=worker_env(smtp_port=smtp_port, **extra), name=name)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    celery_app.conf.task_always_eager = True


@pytest.fixture
def network_topics(db):
    """The topics the data migration seeds (a flush by a transactional test removes them)."""
    from members.models import Topic
    from members.topics import NETWORK_TOPICS

    for position, (slug, name, description) in enumerate(NETWORK_TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return list(Topic.objects.all())
