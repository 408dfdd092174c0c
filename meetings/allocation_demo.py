"""Demo data for the workshop allocation by preference (called from ``meetings.demo``).

The state's municipal congress: twelve workshops in two rounds, at most two per person,
seats by preference. Thirty contact persons have registered and ranked the workshops; the
deadline is still ahead, so the demo member can rank too and the coordinator can preview
the allocation (to confirm it, set the deadline to the past in the admin).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from .allocation_services import save_wish
from .models import Meeting, Registration, Workshop, WorkshopAllocation
from .services import registration as registration_services

WORKSHOPS = [
    (1, "Digitale Stadt: Wo fangen wir an?", "Stadt Kaiserslautern", 4),
    (1, "Homeoffice in der Verwaltung", "Verbandsgemeinde Enkenbach-Alsenborn", 4),
    (1, "Digitale Dörfer", "Fraunhofer IESE", 3),
    (1, "Online-Bürgerbeteiligung", "Stadt Mainz", 3),
    (1, "Digitale Sitzungen des Rats", "Stadt Trier", 3),
    (1, "OZG-Leistungen gemeinsam umsetzen", "IKONE DS", 3),
    (2, "Open Data für kleine Kommunen", "Stadt Koblenz", 3),
    (2, "Smarte Straßenbeleuchtung", "Stadt Ingelheim am Rhein", 3),
    (2, "Digitale Schule, digitaler Schulträger", "Stadt Bad Dürkheim", 4),
    (2, "Datenschutz in Digitalprojekten", "Stadt Landau in der Pfalz", 3),
    (2, "E-Akte einführen", "Stadt Speyer", 4),
    (2, "Förderprogramme finden und nutzen", "KL.digital GmbH", 3),
]


def load(*, contacts, member_contact=None) -> Meeting:
    day = timezone.localdate() + timedelta(days=60)
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    congress, _created = Meeting.objects.update_or_create(
        slug=f"kommunalkongress-{day:%Y}-workshops",
        defaults={
            "kind": Meeting.Kind.CONFERENCE,
            "title": f"Kommunalkongress Rheinland-Pfalz {day:%Y}",
            "start": start,
            "end": start + timedelta(hours=7),
            "format": Meeting.Format.ONLINE,
            "online_link": "https://konferenz.ikone-ds.example/kommunalkongress",
            "status": Meeting.Status.ANNOUNCED,
            "workshop_limit": 2,
            "description": "Zwölf Workshops in zwei Runden, höchstens zwei je Person. Die "
            "Plätze werden nach Wünschen verteilt: Wer sich früh anmeldet, hat keinen Vorteil.",
        },
    )
    workshops = []
    for position, (round_no, title, hosts, capacity) in enumerate(WORKSHOPS):
        workshop, _created = Workshop.objects.update_or_create(
            meeting=congress,
            title=title,
            defaults={
                "round": round_no,
                "hosts": hosts,
                "capacity": capacity,
                "position": position,
            },
        )
        workshops.append(workshop)
    WorkshopAllocation.objects.get_or_create(
        meeting=congress,
        defaults={
            "mode": WorkshopAllocation.Mode.PREFERENCE,
            "preference_deadline": start - timedelta(days=14),
        },
    )
    # popular workshops first: most people rank "Digitale Stadt" and "Open Data" high
    rng = random.Random(2020)  # noqa: S311 (demo data, the same on every run)
    weights = [12, 6, 9, 4, 3, 5, 10, 3, 4, 5, 6, 4]
    for contact in contacts[:30]:
        if contact == member_contact:
            continue
        registration = (
            congress.registrations.filter(contact=contact)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        ) or registration_services.register(contact=contact, meeting=congress)
        if hasattr(registration, "workshop_wish"):
            continue
        pool, ranking = list(zip(workshops, weights, strict=True)), []
        for _ in range(rng.randint(3, 6)):
            choice = rng.choices(range(len(pool)), weights=[w for _x, w in pool])[0]
            ranking.append(pool.pop(choice)[0])
        rounds = len({w.round for w in ranking})
        save_wish(
            registration=registration, ranking=ranking, wanted=min(rounds, rng.choice([1, 2, 2]))
        )
    if (
        member_contact is not None
        and not congress.registrations.filter(contact=member_contact).exists()
    ):
        registration_services.register(contact=member_contact, meeting=congress)
    return congress
