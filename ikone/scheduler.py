"""The periodic work of ``celery beat``, run inside the web process in the embedded mode.

Without Redis there is no broker, worker or beat: tasks run eagerly in the web process. The
beat schedule (``CELERY_BEAT_SCHEDULE``: scheduled posts, reminders, due circulars, the
outbox sweep) would then never run. ``manage.py serve`` starts this scheduler beside the
development server so that the same work happens there by itself. Production keeps one
``celery beat`` process; this is never started there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections

logger = logging.getLogger("ikone.scheduler")


def _interval(schedule) -> float:
    """Seconds between runs of a beat entry (a timedelta, a number or a Celery schedule)."""
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    run_every = getattr(schedule, "run_every", None)
    if isinstance(run_every, timedelta):
        return run_every.total_seconds()
    raise ValueError(f"unsupported schedule {schedule!r}: give a timedelta")


def run_task(name: str, args: tuple = (), kwargs: dict | None = None) -> None:
    """Run one registered Celery task here and now, in this thread."""
    from ikone.celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery is lazy)
    app.tasks[name].apply(args=args, kwargs=kwargs or {})


class EmbeddedScheduler:
    """Runs every beat entry once at start and then each time its interval has passed."""

    def __init__(
        self,
        schedule: dict,
        *,
        run: Callable[..., None] = run_task,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.entries = {
            name: (entry["task"], _interval(entry["schedule"]), tuple(entry.get("args", ())))
            for name, entry in schedule.items()
        }
        self.run = run
        self.clock = clock
        self.next_run: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[str]:
        """Run what is due; returns the names of the entries that ran."""
        now = self.clock()
        ran = []
        for name, (task, interval, args) in self.entries.items():
            if self.next_run.get(name, now) > now:
                continue
            self.next_run[name] = now + interval
            try:
                self.run(task, args)
            except Exception:  # one failing task must not stop the others
                logger.exception("scheduled task %s failed", task)
            ran.append(name)
        return ran

    def _loop(self, poll_seconds: float) -> None:
        while not self._stop.is_set():
            self.tick()
            close_old_connections()  # this thread's own connection, as after a request
            self._stop.wait(poll_seconds)

    def start(self, *, poll_seconds: float = 1.0) -> None:
        self._thread = threading.Thread(
            target=self._loop, args=(poll_seconds,), name="ikone-scheduler", daemon=True
        )
        self._thread.start()
        logger.info("embedded scheduler started: %s", ", ".join(self.entries))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
