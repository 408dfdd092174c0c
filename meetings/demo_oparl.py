"""Demo: two contact persons spoke at a public Stammtisch and agreed to be named, so the
OParl interface lists them as ``Person``s (``/oparl/v1/persons/``) and the meeting names
them as participants. Part of ``manage.py load_demo``; safe to run again."""

from __future__ import annotations

from members.models import Contact

from .models import AgendaItem, Meeting

TALKS = [
    "Erfahrungsbericht: Das digitale Bürgerbüro nach einem Jahr",
    "Erfahrungsbericht: Offene Daten im Stadtrat",
]


def load(*, contacts: list[Contact], base=None) -> list[Contact]:
    member = getattr((base or {}).get("member"), "pk", None)
    meeting = (
        Meeting.objects.visible().filter(status=Meeting.Status.HELD).order_by("-start").first()
    )
    if meeting is None:
        return []
    # not the demo member: they can agree themselves in their profile
    speakers = [contact for contact in contacts if contact.user_id != member][1:3]
    others = meeting.agenda_items.exclude(title__in=TALKS)
    last = others.order_by("-position").values_list("position", flat=True).first()
    for offset, (title, contact) in enumerate(zip(TALKS, speakers, strict=False), start=1):
        AgendaItem.objects.update_or_create(
            meeting=meeting,
            title=title,
            defaults={
                "position": (last or 0) + offset,
                "speaker": contact.full_name,
                "speaker_municipality": contact.municipality,
                "speaker_organisation": "",
                "duration_minutes": 15,
            },
        )
        if not contact.public_speaker:
            contact.public_speaker = True
            contact.save(update_fields=["public_speaker", "updated_at"])
    return speakers
