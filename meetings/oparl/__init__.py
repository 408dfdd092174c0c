"""OParl 1.1 (https://oparl.org), read-only and public data only, at ``/oparl/v1/``.

One ``Body`` (the network), its ``Organization``s (the meeting series; the member
municipalities as institutions), the public ``Meeting``s with their ``AgendaItem``s,
``Location``s and ``File``s (the public summary of approved minutes, the slides of public
meetings), and as ``Person``s only the speakers who agreed to be named (``persons.py``).
Deleted or depublished objects stay as tombstones (``tombstones.py``). Only what an
anonymous visitor may already see on the pages:
``Meeting.objects.visible()`` (public, not a draft) is the one gate every object passes.

Lists are paginated as the spec says (``data``, ``pagination``, ``links`` with ``next``) and
take ``modified_since``, ``modified_until``, ``created_since``, ``created_until``, ``page``
and ``limit``. Bad parameters answer 400 with a JSON error.
"""

from .views import (
    agenda_item,
    agenda_items,
    bodies,
    body,
    empty,
    files,
    location,
    locations,
    meeting,
    meetings,
    municipality,
    organizations,
    person,
    persons,
    series,
    slides,
    summary,
    system,
)

__all__ = [
    "agenda_item",
    "agenda_items",
    "bodies",
    "body",
    "empty",
    "files",
    "location",
    "locations",
    "meeting",
    "meetings",
    "municipality",
    "organizations",
    "person",
    "persons",
    "series",
    "slides",
    "summary",
    "system",
]
