"""The meetings' part of the portal search: meetings, their agenda items and their minutes.

Registered from ``MeetingsConfig.ready()``. Visibility is the meeting page's: drafts for
coordinators only, members-only meetings for members, minutes for members once sent round.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from .models import AgendaItem, Meeting
from .selectors import meetings_visible_to, minutes_visible_to


def _narrow(meetings: QuerySet, *, topic, municipality, prefix: str = "") -> QuerySet:
    """Meetings with an agenda item on the topic / by a speaker of the municipality."""
    if topic is not None:
        meetings = meetings.filter(**{f"{prefix}agenda_items__topics": topic})
    if municipality is not None:
        meetings = meetings.filter(
            Q(**{f"{prefix}agenda_items__speaker_municipality": municipality})
            | Q(**{f"{prefix}invited_municipalities": municipality})
        )
    return meetings


def meeting_documents(meetings: Iterable[Meeting]) -> Iterable[search.Document]:
    for meeting in meetings:
        summary = meeting.public_summary if meeting.minutes_are_final else ""
        yield search.Document(
            object_id=meeting.pk,
            title=meeting.display_title,
            url=search.address(meeting),
            date=meeting.start,
            lead=meeting.description,
            body=f"{meeting.location} {summary}",
        )


def visible_meetings(*, user, topic=None, municipality=None) -> QuerySet:
    return _narrow(meetings_visible_to(user), topic=topic, municipality=municipality)


def agenda_documents(items: Iterable[AgendaItem]) -> Iterable[search.Document]:
    for item in items:
        yield search.Document(
            object_id=item.pk,
            title=item.title,
            url=search.address(item.meeting, "#agenda-heading"),
            date=item.meeting.start,
            lead=item.description,
            body=f"{item.affiliation} – {item.meeting.display_title}",
        )


def visible_agenda_items(*, user, topic=None, municipality=None) -> QuerySet:
    items = AgendaItem.objects.filter(meeting__in=meetings_visible_to(user).values("pk"))
    if topic is not None:
        items = items.filter(topics=topic)
    if municipality is not None:
        items = items.filter(speaker_municipality=municipality)
    return items


def minutes_documents(meetings: Iterable[Meeting]) -> Iterable[search.Document]:
    for meeting in meetings:
        if meeting.minutes.strip():
            yield search.Document(
                object_id=meeting.pk,
                title=str(_("Minutes: %(meeting)s") % {"meeting": meeting.display_title}),
                url=search.address(meeting, "#minutes-heading"),
                date=meeting.start,
                body=meeting.minutes,
            )


def visible_minutes(*, user, topic=None, municipality=None) -> QuerySet:
    return _narrow(minutes_visible_to(user), topic=topic, municipality=municipality)


def _with_series() -> QuerySet:
    return Meeting.objects.select_related("series")


def register() -> None:
    search.register(
        search.Source(
            kind="meeting",
            label=_("Meetings"),
            model=Meeting,
            queryset=_with_series,
            documents=meeting_documents,
            visible=visible_meetings,
            order=30,
        )
    )
    search.register(
        search.Source(
            kind="agenda_item",
            label=_("Agenda items"),
            model=AgendaItem,
            queryset=lambda: AgendaItem.objects.select_related(
                "meeting__series", "speaker_municipality"
            ),
            documents=agenda_documents,
            visible=visible_agenda_items,
            depends_on={Meeting: lambda meeting: meeting.agenda_items.values_list("pk", flat=True)},
            order=40,
        )
    )
    search.register(
        search.Source(
            kind="minutes",
            label=_("Minutes"),
            model=Meeting,
            queryset=_with_series,
            documents=minutes_documents,
            visible=visible_minutes,
            order=50,
        )
    )
