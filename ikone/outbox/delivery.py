"""Delivering claimed rows: the batch loop, the outcome marks, the claim heartbeat.

The send task claims due rows, sends them over one SMTP connection and records each
outcome as soon as it is known, so a worker that dies re-sends at most the message it had
in flight. A beat task releases claims of dead workers (:mod:`ikone.outbox.scheduling`).
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail
from .smtp import _classify, _open, send_row

logger = logging.getLogger("ikone.outbox")


def claim_batch(*, size: int) -> list[OutboundEmail]:
    """Mark up to ``size`` due rows as ``sending`` and return them.

    Rows locked by another worker are skipped (``SKIP LOCKED`` on PostgreSQL), so several
    workers can drain the outbox at once without sending anything twice.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now=now)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        OutboundEmail.objects.filter(id__in=ids).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    return list(OutboundEmail.objects.filter(id__in=ids).order_by("not_before", "id"))


def backoff(attempts: int) -> timedelta:
    """base, 2×base, 4×base, … (base: IKONE_OUTBOX_BACKOFF_SECONDS), at most one hour."""
    base = settings.IKONE_OUTBOX_BACKOFF_SECONDS
    return timedelta(seconds=min(3600, base * 2 ** max(0, attempts - 1)))


def _record_sent(row: OutboundEmail) -> None:
    """Mark one row sent at once (autocommit); plain SQL, as this runs once per message."""
    _mark_sent(row.pk)


def _mark_sent(pk: int) -> None:
    table = OutboundEmail._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, "  # noqa: S608
            "last_error = '', claimed_at = NULL WHERE id = %s",
            [OutboundEmail.Status.SENT, timezone.now(), pk],
        )


class _SentMarks:
    """Writes each "sent" mark while the next message goes out, never later than that.

    The mark of message *n* runs on a second database connection (a helper thread) during
    MAIL FROM and RCPT TO of message *n + 1* and is waited for (:meth:`settle`) before
    *n + 1* can be accepted by the server. So, as with a mark written in line, a worker
    killed at any moment leaves at most the one message in flight unmarked — but the
    database round trip no longer adds to the time per message.

    Only for PostgreSQL outside a transaction (the Celery worker): rows another connection
    cannot see yet (a test's open transaction) are marked in line.
    """

    def __init__(self) -> None:
        overlap = db_connection.vendor == "postgresql" and not db_connection.in_atomic_block
        self.executor = ThreadPoolExecutor(1, "outbox-marks") if overlap else None
        self.pending: Future | None = None

    def mark(self, row: OutboundEmail) -> None:
        if self.executor is None:
            _record_sent(row)
            return
        self.settle()
        self.pending = self.executor.submit(_mark_sent_on_own_connection, row.pk)

    def settle(self) -> None:
        """Wait until the last mark is committed (re-raises its error)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        if self.executor is None:
            return
        try:
            self.settle()
        finally:
            # looked up inside the helper thread: its own connection, not this thread's
            self.executor.submit(_close_own_connection).result()
            self.executor.shutdown()


def _close_own_connection() -> None:
    db_connection.close()


def _mark_sent_on_own_connection(pk: int) -> None:
    """In the helper thread (its own connection): the mark, without waiting for the flush."""
    if not getattr(db_connection, "_outbox_fast_commits", False):
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        db_connection._outbox_fast_commits = True
    _mark_sent(pk)


def _record_failure(row: OutboundEmail, error: Exception, *, permanent: bool) -> None:
    attempts = row.attempts + 1
    give_up = permanent or attempts >= settings.IKONE_OUTBOX_MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        not_before=timezone.now() + backoff(attempts),
        claimed_at=None,
    )


def _refresh_claims(rows: Sequence[OutboundEmail], *, claimed_at):
    """Renew the claim of the rows still to be sent; return (ids still ours, new claim time).

    The claim time doubles as the owner's mark: a row the sweep gave away (because this
    worker stalled past the claim period) and another worker claimed again no longer
    carries our time, is not renewed, and is skipped here instead of being sent twice.
    """
    now = timezone.now()
    ids = [row.pk for row in rows]
    OutboundEmail.objects.filter(
        pk__in=ids, status=OutboundEmail.Status.SENDING, claimed_at=claimed_at
    ).update(claimed_at=now)
    still = set(
        OutboundEmail.objects.filter(
            pk__in=ids, status=OutboundEmail.Status.SENDING, claimed_at=now
        ).values_list("pk", flat=True)
    )
    return still, now


class _ClaimHeartbeat:
    """Keeps the claim of a batch alive while this worker lives: renewed every sixth of
    ``IKONE_OUTBOX_CLAIM_SECONDS``.

    In the Celery worker (PostgreSQL, autocommit) a helper thread with its own database
    connection renews the claims on time even while one message takes long (a slow server,
    a reconnect): a worker that is alive never loses its claim to the sweep, so the claim
    period can be short and the mail of a killed worker goes back to the queue soon. The
    thread stops renewing when the current message has been in flight for longer than
    ``IKONE_OUTBOX_STALL_SECONDS`` (a hung connection then cannot hold the batch forever).
    Elsewhere (rows in an open transaction are invisible to other connections) the claims
    are renewed in line, between messages.
    """

    def __init__(self, rows: Sequence[OutboundEmail]):
        self.rows = rows
        self.claimed_at = rows[0].claimed_at if rows else None
        self.interval = settings.IKONE_OUTBOX_CLAIM_SECONDS / 6
        self.stall_after = settings.IKONE_OUTBOX_STALL_SECONDS
        self.position = 0  # index of the message in flight (written by the sending thread)
        self.progress = time.monotonic()
        self.renewed = time.monotonic()
        self.lost: set[int] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        if rows and db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, name="outbox-claims", daemon=True)
            self.thread.start()

    def at(self, index: int) -> None:
        """The sending thread starts message ``index``.

        Renews in line when there is no helper thread, and also when the thread is late
        (after a stall, or while the database was away): the rows the sweep took back in
        the meantime are then known as lost before the next one is sent.
        """
        self.position = index
        self.progress = time.monotonic()
        due = self.interval if self.thread is None else 2 * self.interval
        if time.monotonic() - self.renewed > due:
            self.renew()

    def is_lost(self, row: OutboundEmail) -> bool:
        return row.pk in self.lost

    def renew(self) -> None:
        with self.lock:
            remaining = self.rows[self.position :]
            if not remaining:
                return
            still, self.claimed_at = _refresh_claims(remaining, claimed_at=self.claimed_at)
            self.lost |= {row.pk for row in remaining} - still
            self.renewed = time.monotonic()

    def release(self, rows: Sequence[OutboundEmail]) -> None:
        """Give unsent rows back, unless another worker holds them by now."""
        with self.lock:
            if rows:
                OutboundEmail.objects.filter(
                    pk__in=[row.pk for row in rows],
                    status=OutboundEmail.Status.SENDING,
                    claimed_at=self.claimed_at,
                ).update(status=OutboundEmail.Status.PENDING, claimed_at=None)

    def stop(self) -> None:
        if self.thread is not None:
            self.stopping.set()
            self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stopping.wait(self.interval):
                if time.monotonic() - self.progress > self.stall_after:
                    continue  # stalled: let the claims expire
                try:
                    self.renew()
                except Exception:  # the database is away: try again at the next beat
                    logger.warning("outbox: could not renew the claims", exc_info=True)
                    db_connection.close()
        finally:
            db_connection.close()  # this thread's own connection


class _Pacer:
    """At most IKONE_OUTBOX_RATE_LIMIT messages per second per worker (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate else 0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def deliver(rows: Sequence[OutboundEmail]) -> int:
    """Send ``rows`` over one connection; return how many were sent.

    Each outcome is written as soon as it is known (autocommit). A temporary failure (4xx,
    a broken connection) puts that row back with a backoff and opens a new connection for
    the rest; a permanent refusal (5xx) marks only that recipient failed. While the batch
    lasts, the claim of the unsent rows is kept alive (:class:`_ClaimHeartbeat`).
    """
    with _fast_commits():
        return _deliver(rows)


@contextmanager
def _fast_commits():
    """Outcome writes without waiting for the disk flush (PostgreSQL ``synchronous_commit``).

    A committed write is visible to every other session at once, so a killed worker loses
    nothing; only a crash of the database server itself could forget the last few "sent"
    marks, which would then be sent again. Waiting for a flush per message would halve the
    delivery rate.
    """
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _deliver(rows: Sequence[OutboundEmail]) -> int:
    pacer = _Pacer(settings.IKONE_OUTBOX_RATE_LIMIT)
    heartbeat = _ClaimHeartbeat(rows)
    try:
        marks = _SentMarks()
        try:
            return _deliver_rows(rows, marks=marks, pacer=pacer, heartbeat=heartbeat)
        finally:
            marks.close()
    finally:
        heartbeat.stop()


def _deliver_rows(rows, *, marks: _SentMarks, pacer: _Pacer, heartbeat: _ClaimHeartbeat) -> int:
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("outbox: cannot connect to the mail server: %s", error)
        for row in rows:
            _record_failure(row, error, permanent=False)
        return 0
    try:
        for index, row in enumerate(rows):
            heartbeat.at(index)
            if heartbeat.is_lost(row):
                logger.info("outbox: row %s was claimed by another worker; skipped", row.pk)
                continue
            pacer.wait()
            try:
                send_row(row, connection=connection, before_data=marks.settle)
            except ValueError as error:  # a header with a line break, a broken address
                _record_failure(row, error, permanent=True)
                continue
            except smtplib.SMTPException as error:
                permanent = _classify(error)
                _record_failure(row, error, permanent=permanent)
                if permanent and not isinstance(error, smtplib.SMTPServerDisconnected):
                    continue
            except OSError as error:  # includes TimeoutError and refused connections
                _record_failure(row, error, permanent=False)
            else:
                marks.mark(row)
                sent += 1
                continue
            # A temporary failure: the server may have closed the connection (421 does).
            try:
                _open(connection)
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("outbox: lost the mail server: %s", error)
                heartbeat.release(rows[index + 1 :])
                break
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            logger.info("outbox: error closing the SMTP connection", exc_info=True)
    return sent


def send_pending(*, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Send due mail batch by batch until none is left; return how many were sent."""
    size = batch_size or settings.IKONE_OUTBOX_BATCH_SIZE
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = claim_batch(size=size)
        if not rows:
            break
        total += deliver(rows)
        batches += 1
    return total
