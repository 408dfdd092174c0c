"""What the meeting page shows of the cycle: the minutes' state, corrections and addenda."""

from __future__ import annotations

from members.permissions import is_coordinator

from . import minutes
from .forms import MinutesCorrectionForm
from .models import Meeting


def cycle_context(request, meeting: Meeting, contact, *, correction_form=None) -> dict:
    """The minutes part of the meeting page's context (members and coordinators only)."""
    coordinator = is_coordinator(request.user)
    if contact is None and not coordinator:
        return {"minutes_visible": False}
    visible = coordinator or meeting.minutes_are_visible_to_members
    can_correct = (
        contact is not None
        and meeting.corrections_are_open()
        and minutes.is_participant(meeting, contact)
    )
    if can_correct and correction_form is None:
        correction_form = MinutesCorrectionForm()
    # Corrections exist only once the minutes went round (no query for a meeting ahead).
    own_corrections = (
        list(meeting.minutes_corrections.filter(contact=contact))
        if contact is not None and meeting.minutes_status != meeting.MinutesStatus.DRAFT
        else []
    )
    return {
        "minutes_visible": visible,
        "can_correct": can_correct,
        "correction_form": correction_form if can_correct else None,
        "own_corrections": own_corrections,
        "addenda": list(meeting.minutes_addenda.all()) if visible else [],
    }
