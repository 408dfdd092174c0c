"""Reads shared by several places (site pages, the member area, the cockpit, admin, services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Topic

from .models import AgendaItem, Meeting, Workshop, WorkshopSeat


def next_public_meeting(*, now=None) -> Meeting | None:
    """The next announced public meeting, with its agenda and the agenda's topics."""
    agenda = AgendaItem.objects.order_by("position", "id").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.filter(is_active=True).order_by("position"))
    )
    return (
        Meeting.objects.visible()
        .filter(status=Meeting.Status.ANNOUNCED, start__gt=now or timezone.now())
        .select_related("series")
        .prefetch_related(Prefetch("agenda_items", queryset=agenda))
        .order_by("start")
        .first()
    )


# --- Registration -----------------------------------------------------------------------------


def registration_closed_reason(meeting: Meeting, *, now: datetime | None = None) -> str | None:
    """Why nobody can register for ``meeting`` now (a translated sentence), or None: open.

    Open means announced, not begun, and the registration deadline (if any) not passed.
    """
    now = now or timezone.now()
    if meeting.is_cancelled:
        return _("This meeting has been cancelled.")
    if meeting.status != Meeting.Status.ANNOUNCED or meeting.end < now:
        return _("Registration for this meeting is closed.")
    if meeting.start <= now:
        return _("This meeting has already begun.")
    if meeting.registration_deadline and meeting.registration_deadline < now:
        return _("The registration deadline has passed.")
    return None


def registration_is_open(meeting: Meeting, *, now: datetime | None = None) -> bool:
    return registration_closed_reason(meeting, now=now) is None


# --- Workshop seats ---------------------------------------------------------------------------


def with_seat_counts(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    """The workshops annotated with ``confirmed`` (seats taken) and ``waiting`` (waiting list)."""
    return workshops.annotate(
        confirmed=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.CONFIRMED)),
        waiting=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.WAITING)),
    )


def workshops_with_free_seats(meeting: Meeting) -> list[Workshop]:
    """The meeting's workshops with their seat counts and ``free_seats`` (never below 0)."""
    workshops = list(with_seat_counts(meeting.workshops.all()))
    for workshop in workshops:
        workshop.free_seats = max(0, workshop.capacity - workshop.confirmed)
    return workshops


def confirmed_seat_counts(workshop_ids: Iterable[int]) -> dict[int, int]:
    """Seats taken per workshop id (one query)."""
    workshops = with_seat_counts(Workshop.objects.filter(pk__in=list(workshop_ids)))
    return dict(workshops.order_by().values_list("pk", "confirmed"))
