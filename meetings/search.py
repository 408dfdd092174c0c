"""The meetings' part of the portal search: meetings, their agenda items and their minutes.

Registered from ``MeetingsConfig.ready()``, with the meeting page's rules
(``permissions.can_view_meeting``, ``cycle_pages``): drafts for coordinators only,
members-only meetings for members, minutes for members once sent round (coordinators: from
the first draft), never for visitors.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from .models import AgendaItem, Meeting


def meeting_audience(meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.DRAFT:
        return search.STAFF
    return search.PUBLIC if meeting.is_public else search.MEMBERS


def minutes_audience(meeting: Meeting) -> str:
    if not meeting.minutes_are_visible_to_members:
        return search.STAFF
    return search.STAFF if meeting.status == Meeting.Status.DRAFT else search.MEMBERS


def _narrow(meetings: QuerySet, *, topic, municipality) -> QuerySet:
    """Meetings with an agenda item on the topic / a speaker from (or inviting) the place."""
    if topic is not None:
        meetings = meetings.filter(agenda_items__topics=topic)
    if municipality is not None:
        meetings = meetings.filter(
            Q(agenda_items__speaker_municipality=municipality)
            | Q(invited_municipalities=municipality)
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
            audience=meeting_audience(meeting),
        )


def narrow_meetings(*, topic=None, municipality=None) -> QuerySet:
    return _narrow(Meeting.objects.all(), topic=topic, municipality=municipality)


def agenda_documents(items: Iterable[AgendaItem]) -> Iterable[search.Document]:
    for item in items:
        yield search.Document(
            object_id=item.pk,
            title=item.title,
            url=search.address(item.meeting, "#agenda-heading"),
            date=item.meeting.start,
            lead=item.description,
            body=f"{item.affiliation} – {item.meeting.display_title}",
            audience=meeting_audience(item.meeting),
        )


def narrow_agenda_items(*, topic=None, municipality=None) -> QuerySet:
    items = AgendaItem.objects.all()
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
                audience=minutes_audience(meeting),
            )


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
            narrow=narrow_meetings,
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
            narrow=narrow_agenda_items,
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
            narrow=narrow_meetings,
            order=50,
        )
    )
