"""Reads shared by several places (site pages, the member area, the cockpit)."""

from django.db.models import Prefetch
from django.utils import timezone

from members.models import Topic

from .models import AgendaItem, Meeting


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
