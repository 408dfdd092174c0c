"""Every write with rules about meetings, one module per subdomain.

``scheduling`` (dates, numbering, moving, cancelling), ``invitations`` (invitations and the
updates sent after a change), ``registration`` (places, workshops, waiting lists, guests,
attendance), ``reminders`` (the day before) and ``feeds`` (calendar feed tokens). The names
below are the public API: ``from meetings import services`` keeps working for every caller.
"""

from .common import MeetingError
from .feeds import calendar_token_for, renew_calendar_token
from .invitations import cancellation_recipient_count, send_invitations
from .registration import (
    add_guest,
    cancel_registration,
    change_workshops,
    record_attendance,
    register,
)
from .reminders import send_reminders
from .scheduling import (
    cancel_meeting,
    mark_held,
    propose_next_date,
    renumber_series,
    reschedule_meeting,
    save_meeting,
    schedule_meeting,
)

__all__ = [
    "MeetingError",
    "add_guest",
    "calendar_token_for",
    "cancel_meeting",
    "cancel_registration",
    "cancellation_recipient_count",
    "change_workshops",
    "mark_held",
    "propose_next_date",
    "record_attendance",
    "register",
    "renew_calendar_token",
    "renumber_series",
    "reschedule_meeting",
    "save_meeting",
    "schedule_meeting",
    "send_invitations",
    "send_reminders",
]
