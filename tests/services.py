"""Real services for integration tests: a check that skips or fails, an SMTP server, a worker.

Tests that need PostgreSQL, Redis or Chromium skip with a reason when it is absent, and fail
instead when ``IKONE_REQUIRE_SERVICES=1`` (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    return os.environ.get("IKONE_REQUIRE_SERVICES") == "1"


def require(service: str, available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) the current test when ``service`` is not available."""
    if available:
        return
    message = f"{service} is not available: {reason}"
    if services_required():
        pytest.fail(message + " (IKONE_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def redis_available(url: str) -> tuple[bool, str]:
    if not url:
        return False, "REDIS_URL is not set"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # any failure means: not usable here
        return False, f"{url}: {error}"
    return True, ""


def chromium_path() -> str | None:
    for candidate in (os.environ.get("IKONE_CHROMIUM"), "/usr/bin/chromium", "chromium"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


# --- SMTP server ----------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class SMTPRecorder:
    """aiosmtpd handler that keeps what it receives and can refuse on demand.

    ``rcpt_policy(address) -> str | None`` returns an SMTP reply (e.g. ``"550 no such user"``
    or ``"421 try later"``) to refuse a recipient, or None to accept it.
    """

    received: list[ReceivedMail] = field(default_factory=list)
    rcpt_policy: Callable[[str], str | None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_policy is not None:
            reply = self.rcpt_policy(address)
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for mail in self.received for rcpt in mail.rcpt_tos]

    def wait_for(self, count: int, *, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.recipients()) >= count:
                break
            time.sleep(0.1)
        return self.recipients()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port; yields (recorder, port)."""
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    # aiosmtpd connects to its own port to check it is up, so port 0 cannot be used directly.
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Celery worker --------------------------------------------------------------------------


# The command line of the ``worker`` service in docker-compose.yml (prefork pool, gossip,
# mingle and heartbeat on), for tests that need the production shape of the worker.
COMPOSE_WORKER_ARGS = ("--pool=prefork", "--concurrency=2")
# The lean default for tests: one process, no worker-to-worker traffic.
SOLO_WORKER_ARGS = ("--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat")


class _CeleryProcess:
    """A ``celery -A ikone …`` subprocess that logs to ``log_path``, in its own process group
    (so that ``kill_all()`` can take a worker's pool children with it)."""

    what = "worker"
    ready = b"ready."
    process: subprocess.Popen | None
    log_path: Path
    env: dict[str, str]

    def _launch(self, command: list[str], *, timeout: float) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ikone", *command],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready in self.log_path.read_bytes():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.what} exited:\n" + self.log())
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.what} did not start:\n" + self.log())

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class WorkerProcess(_CeleryProcess):
    """A real ``celery worker`` process against Redis and the test database."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        name: str = "test",
        args: tuple[str, ...] = SOLO_WORKER_ARGS,
    ):
        self.env = env
        self.name = name
        self.args = args
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "var" / f"worker-{name}-{os.getpid()}.log"

    @property
    def nodename(self) -> str:
        import socket

        return f"{self.name}-{os.getpid()}@{socket.gethostname()}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, timeout: float = 60) -> WorkerProcess:
        self._launch(
            ["worker", *self.args, "--loglevel=INFO", "-n", self.nodename], timeout=timeout
        )
        return self

    def kill_all(self) -> None:
        """SIGKILL to the main process and its pool children at once (a container killed)."""
        if self.process and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class BeatProcess(_CeleryProcess):
    """A real ``celery beat`` process (the schedule of ``CELERY_BEAT_SCHEDULE``)."""

    what = "beat"
    ready = b"beat: Starting..."

    def __init__(self, *, env: dict[str, str], name: str = "beat"):
        self.env = env
        self.log_path = ROOT / "var" / f"{name}-{os.getpid()}.log"
        self.schedule_path = ROOT / "var" / f"{name}-{os.getpid()}-schedule"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> BeatProcess:
        self._launch(
            ["beat", "--loglevel=INFO", "--schedule", str(self.schedule_path)], timeout=timeout
        )
        return self

    def stop(self) -> None:
        super().stop()
        for path in self.schedule_path.parent.glob(self.schedule_path.name + "*"):
            path.unlink(missing_ok=True)


def worker_env(*, smtp_port: int | None = None, **extra: str) -> dict[str, str]:
    """Environment for a worker that shares the test process's database and Redis."""
    from django.conf import settings
    from django.db import connection

    settings_dict = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": (
                f"postgres://{settings_dict['USER']}:{settings_dict.get('PASSWORD') or ''}"
                f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
                f"/{settings_dict['NAME']}"
            ),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "SECRET_KEY": env.get("SECRET_KEY", "test-secret-key-for-the-worker-process"),
            "CONN_MAX_AGE": "0",
            # the worker reads uploads (circular attachments) where the test stored them
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        }
    )
    if smtp_port is not None:
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    env.update(extra)
    return env


# --- A private Redis for fault tests ----------------------------------------------------------


class RedisServer:
    """A private ``redis-server`` that a test may kill and start again on the same port.

    The port is ``IKONE_FAULT_REDIS_PORT`` when set (developers sharing a machine each get a
    range), otherwise a free one. Nothing is persisted: a restart comes back empty, as after
    the loss of a broker without persistence.
    """

    def __init__(self, port: int | None = None):
        self.port = port or int(os.environ.get("IKONE_FAULT_REDIS_PORT") or free_port())
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, timeout: float = 10) -> RedisServer:
        import redis

        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server on port {self.port} exited (port in use?)")
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """SIGKILL: the broker vanishes without closing anything cleanly."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def use_broker(url: str) -> None:
    """Point this (the test) process's Celery app at ``url``, dropping pooled connections."""
    from ikone.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
