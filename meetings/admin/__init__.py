"""The coordinator's workplace for meetings, one module per area of work.

``meeting`` (meetings with agenda, workshops, invitations, cancellation, guests and
attendance), ``participation`` (the yearly report per municipality), ``registrations``
(places and calendar feeds) and ``series`` (series, blackout periods, agenda items and
action items across meetings); ``meetings.allocation_admin`` has the workshop allocation.
Importing them registers their admins.
"""

from .. import allocation_admin  # noqa: F401 (workshop allocation by preference)
from . import meeting, registrations, series  # noqa: F401
