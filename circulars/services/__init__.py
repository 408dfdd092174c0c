"""Writes with rules of circular letters.

Every function takes keyword arguments, runs in one transaction, raises
:class:`CircularError` with a translated message when a rule forbids the change, and queues
its mail through the outbox so it leaves only after commit. ``sending`` writes and sends
the letters, ``answers`` records the replies, ``links`` signs and checks the personal links.
"""

from .answers import answer_circular
from .errors import CircularError, InvalidReplyLink
from .links import CIRCULAR_LINK_SALT, recipient_from_token, reply_links, reply_token, reply_url
from .sending import (
    TEMPLATE,
    circular_context,
    refresh_circular_status,
    retry_failed_recipients,
    send_circular,
    send_due_circulars,
    send_test_copy,
    unschedule_circular,
)

__all__ = [
    "TEMPLATE",
    "CIRCULAR_LINK_SALT",
    "CircularError",
    "InvalidReplyLink",
    "answer_circular",
    "circular_context",
    "recipient_from_token",
    "refresh_circular_status",
    "reply_links",
    "reply_token",
    "reply_url",
    "retry_failed_recipients",
    "send_circular",
    "send_due_circulars",
    "send_test_copy",
    "unschedule_circular",
]
