"""The embedded mode runs the beat schedule by itself (``manage.py serve``)."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from ikone.scheduler import EmbeddedScheduler
from news.models import Post
from tests.news.factories import PostFactory

BASE_DIR = Path(settings.BASE_DIR)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_each_entry_runs_at_start_and_then_once_per_interval():
    clock, ran = Clock(), []
    scheduler = EmbeddedScheduler(
        {
            "often": {"task": "a", "schedule": timedelta(seconds=10)},
            "hourly": {"task": "b", "schedule": timedelta(hours=1), "args": (1,)},
        },
        run=lambda task, args: ran.append((task, args)),
        clock=clock,
    )
    assert scheduler.tick() == ["often", "hourly"]
    clock.now += 5
    assert scheduler.tick() == []
    clock.now += 5
    assert scheduler.tick() == ["often"]
    clock.now += 3600
    assert scheduler.tick() == ["often", "hourly"]
    assert ran.count(("b", (1,))) == 2


def test_a_failing_task_does_not_stop_the_others():
    ran = []

    def run(task, args):
        if task == "broken":
            raise RuntimeError("boom")
        ran.append(task)

    scheduler = EmbeddedScheduler(
        {
            "first": {"task": "broken", "schedule": timedelta(minutes=1)},
            "second": {"task": "fine", "schedule": timedelta(minutes=1)},
        },
        run=run,
    )
    assert scheduler.tick() == ["first", "second"]
    assert ran == ["fine"]


@pytest.mark.django_db
def test_the_projects_schedule_publishes_a_scheduled_post():
    post = PostFactory(
        status=Post.Status.SUBMITTED, publish_at=timezone.now() - timedelta(minutes=1)
    )
    ran = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE).tick()
    assert "news-publish-due" in ran
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def _embedded_env(var_dir) -> dict[str, str]:
    """The environment of an embedded installation (no services) living in ``var_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "CACHE_URL"}
    }
    env.update({"IKONE_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"})
    return env


MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """An embedded SQLite database migrated once for this module's subprocess tests."""
    var_dir = tmp_path_factory.mktemp("embedded")
    subprocess.run(
        [*MANAGE, "migrate", "--noinput", "-v0"],
        env=_embedded_env(var_dir),
        check=True,
        timeout=600,
    )
    return var_dir / "ikone.sqlite3"


@pytest.fixture
def embedded(tmp_path, migrated_database):
    shutil.copy(migrated_database, tmp_path / "ikone.sqlite3")
    return _embedded_env(tmp_path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_publishes_a_due_post_while_it_serves(tmp_path, embedded):
    """A real ``manage.py serve`` on an embedded SQLite database of its own."""
    env, manage = embedded, MANAGE
    create = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from members.models import Municipality; from news.models import Post; "
        "m = Municipality.objects.create("
        "name='Worms', slug='worms', kind='stadt', ags='07319000'); "
        "Post.objects.create(title='Geplant', slug='geplant', teaser='t', body='b', "
        "body_html='<p>b</p>', municipality=m, status='submitted', "
        "publish_at=timezone.now() - timedelta(minutes=1))"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, timeout=120)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*manage, "serve", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status, deadline = None, time.monotonic() + 60
        while time.monotonic() < deadline:
            with sqlite3.connect(tmp_path / "ikone.sqlite3") as db:
                status = db.execute("SELECT status FROM news_post WHERE slug='geplant'").fetchone()[
                    0
                ]
            if status == "published":
                break
            time.sleep(0.5)
        assert status == "published", (tmp_path / "serve.log").read_text()
        output = (tmp_path / "serve.log").read_text()
        assert "Periodic tasks run in this process" in output
        assert f"Links in e-mails point at http://127.0.0.1:{port}" in output
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_an_eager_task_in_the_embedded_mode_logs_no_broker_warning(embedded):
    """``load_demo`` printed kombu's "No hostname was supplied" for the eager outbox task."""
    env, manage = embedded, MANAGE
    publish = (
        "from ikone.celery import app; assert app.conf.task_always_eager; "
        "from ikone.outbox.tasks import send_pending_emails; send_pending_emails.apply_async()"
    )
    result = subprocess.run(
        [*manage, "shell", "-c", publish], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "No hostname" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("address", "url"),
    [("127.0.0.1:8123", "http://127.0.0.1:8123"), ("0.0.0.0:9000", "http://0.0.0.0:9000")],
)
def test_serve_names_the_address_it_listens_on_for_links_in_mail(address, url):
    """SITE_URL defaulted to port 8000 whatever port the embedded portal was served on."""
    from ikone.management.commands.serve import Command

    command = Command()
    command.use_ipv6 = False
    addr, port = address.split(":")
    command.addr, command.port, command._raw_ipv6 = addr, port, False
    assert command.served_url() == url
