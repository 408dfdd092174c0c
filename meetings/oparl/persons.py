"""Persons in OParl: only contact persons who agreed to be named publicly as speaker
(``Contact.public_speaker``) and who speak at an agenda item of a public meeting.

Agenda items name their speaker as free text with the speaker's municipality; a contact
person is that speaker when both match (the name compared without case and extra blanks),
the same rule as *Wen fragen?* (``meetings/expertise.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from members.models import Contact

from ..models import AgendaItem
from .public import public_agenda_items

SpeakerKey = tuple[int, str]


def speaker_key(municipality_id: int | None, name: str) -> SpeakerKey:
    return (municipality_id or 0, " ".join(name.lower().split()))


def consenting_speakers(
    *, contact_ids: Iterable[int] | None = None, municipality_ids: Iterable[int] | None = None
) -> dict[SpeakerKey, int]:
    """The contacts who agreed, by the key an agenda item names them with."""
    contacts = Contact.objects.filter(public_speaker=True)
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=list(contact_ids))
    if municipality_ids is not None:
        contacts = contacts.filter(municipality_id__in=list(municipality_ids))
    rows = contacts.values_list("pk", "municipality_id", "first_name", "last_name")
    return {speaker_key(mun, f"{first} {last}"): pk for pk, mun, first, last in rows}


def _matched(items: QuerySet, speakers: dict[SpeakerKey, int]) -> set[int]:
    rows = (
        items.exclude(speaker="")
        .filter(speaker_municipality_id__in={key[0] for key in speakers})
        .order_by()
        .values_list("speaker_municipality_id", "speaker")
        .distinct()
    )
    found = (speakers.get(speaker_key(mun, name)) for mun, name in rows)
    return {pk for pk in found if pk is not None}


def public_person_ids(*, contact_ids: Iterable[int] | None = None) -> set[int]:
    """Contacts who agreed and speak at a public agenda item (of those given, or of all)."""
    speakers = consenting_speakers(contact_ids=contact_ids)
    if not speakers:
        return set()
    return _matched(public_agenda_items(), speakers)


def speakers_of(items: QuerySet) -> set[int]:
    """Contacts who agreed and are named as speaker by one of ``items`` (public or not)."""
    municipalities = set(
        items.exclude(speaker="")
        .exclude(speaker_municipality=None)
        .order_by()
        .values_list("speaker_municipality_id", flat=True)
    )
    if not municipalities:
        return set()
    return _matched(items, consenting_speakers(municipality_ids=municipalities))


def public_persons() -> QuerySet:
    return Contact.objects.filter(pk__in=public_person_ids()).order_by("pk")


def participant_map(request) -> dict[SpeakerKey, int]:
    """The agreeing speakers, once per request: a meeting names them as participants."""
    if "_oparl_speakers" not in request.__dict__:
        request._oparl_speakers = consenting_speakers()
    return request._oparl_speakers


def participants(request, items: Iterable[AgendaItem]) -> list[int]:
    """The persons among the speakers of a public meeting's agenda items, in their order."""
    keys = [
        speaker_key(item.speaker_municipality_id, item.speaker) for item in items if item.speaker
    ]
    if not keys:
        return []
    speakers = participant_map(request)
    found = []
    for key in keys:
        pk = speakers.get(key)
        if pk is not None and pk not in found:
            found.append(pk)
    return found
