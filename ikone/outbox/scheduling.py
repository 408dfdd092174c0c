"""When the send task runs: after commit, after a backoff, and from the beat sweep.

Publishing never raises: with the broker away the rows wait in the database, and the beat
sweep (every minute) releases claims of dead workers and publishes the task again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger("ikone.outbox")


def trigger_delivery() -> None:
    """Publish the send task once after commit; a broker failure only logs (the sweep recovers)."""
    if db_connection.in_atomic_block and any(
        callback is _publish_send_task for _sids, callback, *_rest in db_connection.run_on_commit
    ):
        return
    transaction.on_commit(_publish_send_task)


def _publish_send_task(*, countdown: float | None = None) -> bool:
    """Publish the send task; never raise, never wait longer than the broker timeouts."""
    from .tasks import send_pending_emails

    try:
        send_pending_emails.apply_async(retry=False, countdown=countdown)
    except Exception:  # the broker is down: the rows wait for the beat sweep
        if send_pending_emails.app.conf.task_always_eager:
            raise
        logger.warning(
            "outbox: could not publish the send task; the sweep will pick the mail up",
            exc_info=True,
        )
        return False
    return True


def release_stale_claims(*, older_than: timedelta | None = None) -> int:
    """Give rows claimed by a worker that died back to the queue."""
    limit = older_than or timedelta(seconds=settings.IKONE_OUTBOX_CLAIM_SECONDS)
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=timezone.now() - limit
    ).update(status=OutboundEmail.Status.PENDING, claimed_at=None)


def has_due_mail() -> bool:
    return OutboundEmail.objects.due().exists()


def seconds_until_next_due() -> float | None:
    """Seconds until the earliest pending row is due (0 if one is due now), None if none."""
    earliest = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).aggregate(
        at=Min("not_before")
    )["at"]
    if earliest is None:
        return None
    return max(0.0, (earliest - timezone.now()).total_seconds())


def schedule_next_run() -> None:
    """After a run: publish a short countdown for mail due soon (a retry after backoff).

    Countdowns stay far below the broker's visibility timeout
    (``IKONE_OUTBOX_MAX_COUNTDOWN``); later retries are left to the beat sweep.
    """
    wait = seconds_until_next_due()
    if wait is not None and wait <= settings.IKONE_OUTBOX_MAX_COUNTDOWN:
        _publish_send_task(countdown=wait + 0.5)


def sweep() -> int:
    """Beat: release claims of dead workers and publish the send task if mail is due."""
    released = release_stale_claims()
    if has_due_mail():
        _publish_send_task()
    return released
