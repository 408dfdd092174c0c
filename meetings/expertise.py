"""Talks as evidence for *Wen fragen?* (registered in ``apps.py``).

A talk counts for a contact person when a past, public meeting's agenda names them as the
speaker — their exact name (case and spacing aside) and their municipality — on one of the
question's topics. Summed in the database (``projects.expertise.evidence_tally``).
"""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat, TruncDate

from projects.expertise import TALK, Evidence, evidence_tally, talk_reason
from projects.tally import Lookup, NormalName, Tally

from .models import AgendaItem, Meeting, MeetingSeries


def talks(*, question, contacts) -> Tally:
    if not question.topic_ids or not contacts:
        return Tally()
    on_topic = AgendaItem.topics.through.objects.filter(
        agendaitem_id=OuterRef("pk"), topic_id__in=question.topic_ids
    )
    items = AgendaItem.objects.filter(
        Exists(on_topic),
        meeting__in=Meeting.objects.visible().past().values("pk"),
        speaker_municipality_id__in={contact.municipality_id for contact in contacts.values()},
    ).exclude(speaker="")
    # the names normalized as before in Python, the speakers in SQL, once per row
    people = {
        f"{contact.municipality_id}|{' '.join(contact.full_name.lower().split())}": contact.pk
        for contact in contacts.values()
    }
    key = Concat(
        Cast("speaker_municipality_id", CharField()),
        Value("|"),
        NormalName("speaker"),
        output_field=CharField(),
    )

    def word(row: dict) -> Evidence:
        series_id = row["meeting__series_id"]
        meeting = Meeting(
            title=row["meeting__title"],
            kind=row["meeting__kind"],
            number=row["meeting__number"],
            start=row["meeting__start"],
            series=MeetingSeries(pk=series_id, name=row["meeting__series__name"])
            if series_id
            else None,
        )
        reason = talk_reason(title=row["title"], meeting=meeting.display_title)
        return Evidence(row["ask_contact"], row["ask_weight"], reason, row["ask_when"])

    return evidence_tally(
        question,
        items,
        contact=Lookup(key, mapping=people),
        weight=Value(TALK),
        when=TruncDate("meeting__start"),
        fields=(
            "title",
            "meeting__title",
            "meeting__kind",
            "meeting__number",
            "meeting__start",
            "meeting__series_id",
            "meeting__series__name",
        ),
        word=word,
    )
