"""Meetings of the network: the six-weekly Stammtisch, conferences and their workshops.

One module per area; everything is importable from ``meetings.models`` as before
(migrations refer to ``meetings.models.slides_upload_to``).
"""

from .agenda import (  # noqa: F401
    ActionItem,
    ActionItemQuerySet,
    AgendaItem,
    slides_filename,
    slides_upload_to,
)
from .allocation import (  # noqa: F401
    WorkshopAllocation,
    WorkshopPreference,
    WorkshopWish,
)
from .meetings import (  # noqa: F401
    BlackoutPeriod,
    Format,
    Kind,
    Meeting,
    MeetingQuerySet,
    MeetingSeries,
    MinutesStatus,
)
from .minutes import (  # noqa: F401
    MinutesAddendum,
    MinutesCorrection,
    MinutesVersion,
)
from .oparl import OParlTombstone  # noqa: F401
from .registration import (  # noqa: F401
    CalendarToken,
    Invitation,
    Registration,
    Workshop,
    WorkshopSeat,
    new_feed_token,
)
