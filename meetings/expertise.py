"""Talks as evidence for *Wen fragen?* (an index source, registered in ``apps.py``).

A talk counts for a contact person when a public meeting's agenda names them as the speaker —
their exact name (case and spacing aside) and their municipality —, once the meeting is over
(``counts_from``), on the agenda item's topics. Kept in ``projects.expertise_index``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Contact
from projects.expertise import TALK, talk_reason
from projects.expertise_index import IndexSource, Item, register

from .models import AgendaItem, Meeting, MeetingSeries

TALKS = "meetings.talks"


def _normal(name: str) -> str:
    return " ".join(name.lower().split())


def talk_items(items: QuerySet) -> Iterable[Item]:
    found = (
        items.filter(meeting__in=Meeting.objects.visible().values("pk"))
        .exclude(speaker="")
        .select_related("meeting")
        .only("pk", "speaker", "speaker_municipality_id", "meeting__start", "meeting__end")
        .prefetch_related("topics")
    )
    found = list(found)
    places = {item.speaker_municipality_id for item in found if item.speaker_municipality_id}
    people = defaultdict(list)
    for contact in Contact.objects.filter(municipality_id__in=places).only(
        "pk", "municipality_id", "first_name", "last_name"
    ):
        people[(contact.municipality_id, _normal(contact.full_name))].append(contact.pk)
    for item in found:
        for contact_id in people.get((item.speaker_municipality_id, _normal(item.speaker)), ()):
            yield Item(
                contact_id=contact_id,
                kind="talk",
                object_id=item.pk,
                weight=TALK,
                when=timezone.localdate(item.meeting.start),
                topic_ids=tuple(topic.pk for topic in item.topics.all()),
                counts_from=item.meeting.end,
            )


def talk_reasons(ids: list[int]) -> dict[int, str]:
    rows = AgendaItem.objects.filter(pk__in=ids).values_list(
        "pk",
        "title",
        "meeting__title",
        "meeting__kind",
        "meeting__number",
        "meeting__start",
        "meeting__series_id",
        "meeting__series__name",
    )
    worded = {}
    for pk, title, meeting_title, kind, number, start, series_id, series_name in rows:
        meeting = Meeting(  # what display_title reads, without loading the meeting
            title=meeting_title,
            kind=kind,
            number=number,
            start=start,
            series=MeetingSeries(pk=series_id, name=series_name) if series_id else None,
        )
        worded[pk] = talk_reason(title=title, meeting=meeting.display_title)
    return worded


def _speakers_of(contact_ids: list[int]) -> QuerySet:
    """Agenda items whose speaker may be one of these people: those of their municipalities."""
    places = Contact.objects.filter(pk__in=contact_ids).values("municipality_id")
    return AgendaItem.objects.filter(speaker_municipality_id__in=places).exclude(speaker="")


def register_source() -> None:
    register(
        IndexSource(
            name=TALKS,
            model=AgendaItem,
            items=talk_items,
            records_of=_speakers_of,
            reasons={"talk": talk_reasons},
            depends_on={Meeting: lambda meeting: meeting.agenda_items.values_list("pk", flat=True)},
            m2m={AgendaItem.topics.through: lambda ids: ids},
        )
    )
