"""Sending e-mail through the outbox: the public API the apps call.

The work is done in four modules, one per concern; this facade keeps the names the apps
import (``from ikone.outbox import services as outbox``):

* :mod:`ikone.outbox.queue` — render and queue mail (``queue_email``, ``queue_emails``,
  ``Message``, ``render_email``, ``insert_rows``, ``retry_failed``);
* :mod:`ikone.outbox.scheduling` — when the send task runs (after commit, after a backoff,
  from the beat sweep);
* :mod:`ikone.outbox.delivery` — claiming rows and sending a batch, with the outcome marks
  and the claim heartbeat;
* :mod:`ikone.outbox.smtp` — one message over an open connection and how its errors are read.

A test that replaces a helper patches the module that uses it (e.g.
``ikone.outbox.delivery._refresh_claims``), not this facade.
"""

from .delivery import (
    _mark_sent,
    _record_failure,
    _refresh_claims,
    backoff,
    claim_batch,
    deliver,
    send_pending,
)
from .models import OutboundEmail
from .queue import (
    Attachment,
    Message,
    RenderedEmail,
    _build_row,
    insert_rows,
    new_message_id,
    preferences_url,
    queue_email,
    queue_emails,
    queue_rendered,
    render_email,
    retry_failed,
)
from .scheduling import (
    _publish_send_task,
    has_due_mail,
    release_stale_claims,
    schedule_next_run,
    seconds_until_next_due,
    sweep,
    trigger_delivery,
)
from .smtp import TemporaryFailure, _classify, send_row, to_django_message

__all__ = [
    "Attachment",
    "Message",
    "OutboundEmail",
    "RenderedEmail",
    "TemporaryFailure",
    "_build_row",
    "_classify",
    "_mark_sent",
    "_publish_send_task",
    "_record_failure",
    "_refresh_claims",
    "backoff",
    "claim_batch",
    "deliver",
    "has_due_mail",
    "insert_rows",
    "new_message_id",
    "preferences_url",
    "queue_email",
    "queue_emails",
    "queue_rendered",
    "release_stale_claims",
    "render_email",
    "retry_failed",
    "schedule_next_run",
    "seconds_until_next_due",
    "send_pending",
    "send_row",
    "sweep",
    "to_django_message",
    "trigger_delivery",
]
