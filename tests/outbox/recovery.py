"""The mail of a killed worker: how long until another worker has delivered it.

Shared by ``tests/outbox/test_recovery.py`` (asserts) and ``bench/recovery.py`` (prints).
Two workers in the compose shape and a real beat run against the database; a circular
goes out, the worker that delivers it is killed with SIGKILL (main process and pool children,
as when its container is killed) in the middle of a batch, and the clock runs until the SMTP
server has received mail for every recipient.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from tests.services import SMTPRecorder, WorkerProcess


@dataclass
class Recovery:
    victim: WorkerProcess
    recipients: int
    delivered_at_kill: int
    seconds: float | None  # from the kill until every recipient had mail (None: not in time)
    duplicates: int
    missing: int


def task_received(worker: WorkerProcess) -> bool:
    return "Task ikone.outbox.tasks.send_pending_emails[" in worker.log()


def kill_one_mid_batch_and_recover(
    *,
    recorder: SMTPRecorder,
    workers: tuple[WorkerProcess, WorkerProcess],
    send: Callable[[], int],
    kill_after: int = 60,
    timeout: float = 120,
) -> Recovery:
    """``send()`` queues the mail and returns the number of recipients."""
    count = send()
    deadline = time.monotonic() + 60
    victim = None  # the worker that got the task first (a sweep may start the other later)
    while victim is None or len(recorder.recipients()) < kill_after:
        if time.monotonic() > deadline:
            raise RuntimeError("no delivery started")
        if victim is None:
            victim = next((worker for worker in workers if task_received(worker)), None)
        time.sleep(0.02)
    victim.kill_all()
    killed_at = time.monotonic()
    delivered_at_kill = len(set(recorder.recipients()))
    if delivered_at_kill >= count:
        raise RuntimeError("everything was delivered before the kill")
    seconds = None
    while time.monotonic() - killed_at < timeout:
        if len(set(recorder.recipients())) >= count:
            seconds = time.monotonic() - killed_at
            break
        time.sleep(0.1)
    with recorder.lock:
        ids = Counter(mail.message["Message-ID"] for mail in recorder.received)
    return Recovery(
        victim=victim,
        recipients=count,
        delivered_at_kill=delivered_at_kill,
        seconds=seconds,
        duplicates=sum(n - 1 for n in ids.values()),
        missing=count - len(set(recorder.recipients())),
    )
