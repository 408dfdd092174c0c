"""Personal data of the workshop allocation by preference (part of ``meetings.privacy``).

A participant's wish (ranking, number wanted, the outcome told to them) is exported with the
registration it belongs to and deleted when the person is anonymised: the seats it led to
stay, like every seat. A coordinator's confirmation keeps pointing at the anonymised login.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Registration, WorkshopWish

COVERS = {
    "meetings.WorkshopAllocation": "who confirmed an allocation: keeps pointing to the "
    "anonymised login",
}


def export(registrations: QuerySet[Registration]) -> list[dict[str, Any]]:
    wishes = (
        WorkshopWish.objects.filter(registration__in=registrations)
        .select_related("registration__meeting__series")
        .prefetch_related("ranking__workshop")
        .order_by("registration__meeting__start", "pk")
    )
    return [
        {
            "meeting": wish.registration.meeting.display_title,
            "wanted": wish.wanted,
            "ranking": [
                {"rank": p.rank, "workshop": p.workshop.title, "round": p.workshop.round}
                for p in wish.ranking.all()
            ],
            "outcome": wish.outcome,
        }
        for wish in wishes
    ]


def anonymise(registrations: QuerySet[Registration]) -> None:
    WorkshopWish.objects.filter(registration__in=registrations).delete()
