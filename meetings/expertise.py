"""Talks as evidence for *Wen fragen?* (registered in ``apps.py``).

A talk counts for a contact person when a past, public meeting's agenda names them as the
speaker — their exact name and their municipality — on one of the question's topics.
"""

from __future__ import annotations

from django.utils import timezone

from projects.expertise import TALK, Evidence, talk_reason

from .models import AgendaItem, Meeting


def talks(*, question, contacts) -> list[Evidence]:
    if not question.topic_ids or not contacts:
        return []
    people = {
        (contact.municipality_id, " ".join(contact.full_name.lower().split())): contact.pk
        for contact in contacts.values()
    }
    items = (
        AgendaItem.objects.filter(
            meeting__in=Meeting.objects.visible().past(),
            topics__in=question.topic_ids,
            speaker_municipality_id__in={key[0] for key in people},
        )
        .exclude(speaker="")
        .select_related("meeting__series")
        .distinct()
    )
    evidence = []
    for item in items:
        key = (item.speaker_municipality_id, " ".join(item.speaker.lower().split()))
        if key not in people:
            continue
        reason = talk_reason(title=item.title, meeting=item.meeting.display_title)
        when = timezone.localtime(item.meeting.start).date()
        evidence.append(Evidence(people[key], TALK, reason, when))
    return evidence
