"""What is public: the querysets every OParl object passes through."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from ..models import AgendaItem, Invitation, Meeting

# --- what is public -----------------------------------------------------------------------


def public_meetings() -> QuerySet:
    """Public, not a draft, with whether invitations went out: the gate of every object."""
    return (
        Meeting.objects.visible()
        .select_related("series")
        .annotate(invited=Exists(Invitation.objects.filter(meeting=OuterRef("pk"))))
        .order_by("start", "pk")
    )


def public_agenda_items() -> QuerySet:
    return (
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible())
        .select_related("meeting")
        .order_by("meeting__start", "meeting_id", "position", "pk")
    )


def public_summaries() -> QuerySet:
    """Meetings whose approved minutes have a public summary (as on the meeting page)."""
    return (
        public_meetings()
        .filter(minutes_status__in=[Meeting.MinutesStatus.APPROVED, Meeting.MinutesStatus.LOCKED])
        .exclude(public_summary="")
    )


def public_slides() -> QuerySet:
    """Slides of public meetings: anyone may open them there (``meetings:slides``)."""
    return public_agenda_items().exclude(slides="")


def public_locations() -> QuerySet:
    return public_meetings().exclude(location="")


def meeting_state(meeting: Meeting) -> str:
    """*durchgeführt* only once the minutes are approved; *eingeladen* once invited."""
    if meeting.minutes_are_final:
        return "durchgeführt"
    if getattr(meeting, "invited", False):
        return "eingeladen"
    return "terminiert"
