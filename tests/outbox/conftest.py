"""Fixtures for the outbox's fault tests: a private Redis and workers in the compose shape."""

import shutil

import pytest

from ikone.celery import app as celery_app
from tests.services import RedisServer, WorkerProcess, require, use_broker, worker_env


@pytest.fixture
def fault_redis(redis_url):
    """A private redis-server as the broker of this test and its workers (killable)."""
    require("redis-server", shutil.which("redis-server") is not None, "not installed")
    server = RedisServer().start()
    original = celery_app.conf.broker_url
    use_broker(server.url)
    yield server
    server.kill()
    use_broker(original)


@pytest.fixture
def worker_factory(transactional_db, postgres, redis_url):
    """Like ``celery_worker_factory``, with the worker's command-line arguments to choose."""
    workers = []
    celery_app.conf.task_always_eager = False

    def start(*, args, smtp_port=None, name="w", **extra):
        worker = WorkerProcess(env=worker_env(smtp_port=smtp_port, **extra), name=name, args=args)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    celery_app.conf.task_always_eager = True
