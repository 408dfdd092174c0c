"""Demo meetings (idempotent): the Stammtische of 2023 from the press texts, the conference on
crisis management, the municipal congress 2020 with twelve workshops, and upcoming dates.

Speakers named in the press texts appear with their role only where the texts name them
publicly; registrations use the invented demo contacts.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from members.models import Contact, Municipality, Topic
from projects.models import ProjectProfile

from . import allocation_demo, demo_cycle, demo_oparl
from .models import (
    ActionItem,
    AgendaItem,
    BlackoutPeriod,
    Meeting,
    MeetingSeries,
    Registration,
    Workshop,
)
from .services import registration as registration_services
from .services import scheduling

ONLINE_LINK = "https://konferenz.ikone-ds.example/stammtisch"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _municipality(name: str) -> Municipality | None:
    return Municipality.objects.filter(name__startswith=name).first()


def _topics(*slugs: str) -> list[Topic]:
    return list(Topic.objects.filter(slug__in=slugs))


STAMMTISCHE_2023 = [
    {
        "slug": "1-digitaler-stammtisch-2023",
        "day": date(2023, 3, 28),
        "agenda": [
            (
                "Begrüßung und Neustart des Netzwerks",
                "Ulrich Däuwel",
                None,
                "Stadt Kaiserslautern",
                10,
                [],
            ),
            (
                "Kurzumfrage: Welche Themen interessieren die Kommunen?",
                "Team IKONE DS",
                None,
                "Stadt Kaiserslautern",
                20,
                ["digitalstrategie"],
            ),
            (
                "Runde: Stand der Digitalisierung in den Mitgliedskommunen",
                "",
                None,
                "",
                60,
                ["verwaltungsdigitalisierung"],
            ),
        ],
        "summary": "Nach der Pause im Jahr 2022 hat das Netzwerk mit dem ersten digitalen "
        "Stammtisch wieder Fahrt aufgenommen. Eine Kurzumfrage sammelte die Themen, die die "
        "Kommunen besonders interessieren.",
    },
    {
        "slug": "2-digitaler-stammtisch-2023",
        "day": date(2023, 5, 9),
        "agenda": [
            (
                "Digitalisierung in der Verwaltung: Hemmnisse und Prioritäten",
                "",
                None,
                "",
                45,
                ["verwaltungsdigitalisierung", "datenschutz"],
            ),
            (
                "Ergebnisse der Mitgliederumfrage",
                "Lennart Grabe",
                None,
                "Stadt Kaiserslautern",
                20,
                ["digitalstrategie", "smart-city", "beteiligungsplattformen"],
            ),
            (
                "Rückblick auf die Besuche des IKONE DS-Teams in den Kommunen",
                "Ulrich Däuwel",
                None,
                "Stadt Kaiserslautern",
                25,
                [],
            ),
        ],
        "summary": "Die populärsten Themen der Umfrage: Hilfestellung bei Digitalstrategien, "
        "Smart City und digitale Beteiligungsplattformen. Für die kommenden Stammtische werden "
        "passende Referentinnen und Referenten eingebunden.",
        "minutes": "## Ergebnisse der Umfrage\n\n"
        "1. Hilfestellung bei der Erstellung von Digitalstrategien\n"
        "2. Smart City\n3. Digitale Beteiligungsplattformen\n\n"
        "## Hemmnisse\n\nOffene Fragen zum **Datenschutz** und neue Workflows bremsen die "
        "verwaltungsinterne Digitalisierung; auch die Priorisierung spielt eine Rolle.",
        "actions": [
            (
                "Referent:innen zu Digitalstrategien anfragen",
                "Team IKONE DS",
                date(2023, 6, 15),
                "done",
            )
        ],
    },
    {
        "slug": "3-digitaler-stammtisch-2023",
        "day": date(2023, 7, 6),
        "agenda": [
            (
                "Smarte Laternen – innovative Warnmittel",
                "Frank Huber",
                None,
                "KL.digital GmbH",
                25,
                ["smart-city", "krisenmanagement"],
            ),
            (
                "Verwaltung? Am liebsten digital! Die Projektgruppe „Digitales“",
                "",
                "Bad Dürkheim",
                "",
                40,
                ["verwaltungsdigitalisierung"],
            ),
            (
                "Offene Aussprache: Abteilungsleitungen für digitale Themen gewinnen",
                "",
                "Ingelheim",
                "",
                25,
                ["verwaltungsdigitalisierung"],
            ),
            (
                "Neues aus dem Netzwerk: Nachrichten und Blogbeiträge auf der Homepage",
                "Ulrich Däuwel",
                None,
                "Stadt Kaiserslautern",
                10,
                [],
            ),
            (
                "Ausblick auf die Fachtagung Krisenmanagement",
                "Ulrich Däuwel",
                None,
                "Stadt Kaiserslautern",
                10,
                ["krisenmanagement"],
            ),
        ],
        "summary": "Themen waren smarte Lichtmasten, Erfahrungen bei der Digitalisierung in der "
        "eigenen Verwaltung, Veröffentlichungen auf der IKONE DS-Homepage und die kommende "
        "Fachtagung zum Krisenmanagement. Der nächste Stammtisch findet nach den Sommerferien "
        "statt.",
        "minutes": "## Smarte Laternen\n\nDie Laternen können akustische Warnungen – auch "
        "mehrsprachig – aussenden. Trotz positiver Ergebnisse wird das Projekt in "
        "Kaiserslautern nicht weiter verfolgt.\n\n"
        "## Offene Aussprache\n\nIngelheim bietet an, gemeinsam mit IKONE DS einen Workshop "
        "zu veranstalten. Ein **Rundschreiben** klärt die Teilnahmebereitschaft.",
        "actions": [
            (
                "Rundschreiben zur Teilnahme am Workshop in Ingelheim versenden",
                "Ulrich Däuwel",
                date(2023, 7, 31),
                "done",
            ),
            (
                "Beiträge der Mitgliedskommunen für die Homepage sammeln",
                "alle Mitglieder",
                date(2023, 9, 30),
                "open",
            ),
        ],
    },
    {
        "slug": "4-digitaler-stammtisch-2023",
        "day": date(2023, 9, 14),
        "agenda": [
            (
                "Digitale Beteiligungsplattformen im Vergleich",
                "",
                "Mainz",
                "",
                40,
                ["beteiligungsplattformen"],
            ),
            (
                "Rückblick auf die Fachtagung Krisenmanagement",
                "Team IKONE DS",
                None,
                "Stadt Kaiserslautern",
                20,
                ["krisenmanagement"],
            ),
        ],
        "summary": "Der erste Stammtisch nach den Sommerferien stellte Beteiligungsplattformen "
        "vor und blickte auf die Fachtagung zurück.",
    },
]

CONGRESS_WORKSHOPS = [
    (1, "Digitale Stadt", "KL.digital GmbH"),
    (1, "Homeoffice in der Verwaltung", "Stadt Mainz"),
    (1, "Digitale Dörfer", "Fraunhofer IESE"),
    (1, "Sensornetzwerke im Stadtgebiet", "Stadt Kaiserslautern"),
    (1, "Digitale Bürgerbeteiligung", "VG Enkenbach-Alsenborn"),
    (1, "Online-Dienste nach dem OZG", "Entwicklungsagentur Rheinland-Pfalz"),
    (2, "Smart-City-Förderung bewerben", "IKONE DS"),
    (2, "Digitale Veranstaltungen", "Stadt Koblenz"),
    (2, "Datenschutz in digitalen Projekten", "Stadt Trier"),
    (2, "DorfFunk und DorfNews", "Fraunhofer IESE"),
    (2, "Digitalstrategie entwickeln", "IKONE DS"),
    (2, "Strukturen für digitale Projekte", "Stadt Worms"),
]

CRISIS_WORKSHOPS = [
    (1, "Warnmittel im Stadtgebiet: Sirenen, Apps, smarte Laternen", "KL.digital GmbH", 25),
    (1, "Lagebilder mit offenen Daten", "Stadt Kaiserslautern", 20),
    (1, "Krisenkommunikation in sozialen Medien", "Stadt Mainz", 20),
    (2, "Blackout-Vorsorge in der Verwaltung", "Stadt Ludwigshafen am Rhein", 25),
    (2, "Hochwasser: Sensorik und Frühwarnung", "Stadt Trier", 20),
    (2, "Ehrenamt digital koordinieren", "Stadt Ingelheim am Rhein", 20),
]


def _agenda(meeting: Meeting, items) -> None:
    for position, (title, speaker, municipality, organisation, minutes, topic_slugs) in enumerate(
        items, start=1
    ):
        item, _created = AgendaItem.objects.update_or_create(
            meeting=meeting,
            title=title,
            defaults={
                "position": position,
                "speaker": speaker,
                "speaker_municipality": _municipality(municipality) if municipality else None,
                "speaker_organisation": organisation,
                "duration_minutes": minutes,
            },
        )
        item.topics.set(_topics(*topic_slugs))


def _attendance(meeting: Meeting, contacts: list[Contact], share: int) -> None:
    for index, contact in enumerate(contacts):
        if (index + meeting.pk) % share == 0:
            continue
        Registration.objects.get_or_create(
            meeting=meeting,
            contact=contact,
            defaults={"attended": index % 5 != 0, "created_at": meeting.start - timedelta(days=7)},
        )


def _meeting(slug: str, **fields) -> Meeting:
    meeting, _created = Meeting.objects.update_or_create(slug=slug, defaults=fields)
    return meeting


# Talks about a demo project profile (agenda item title → profile title): the project pages,
# topic pages and municipality pages list them. The catalogue's demo runs before this one.
PROJECT_OF_TALK = {
    "Smarte Laternen – innovative Warnmittel": "Smarte Laternen – innovative Warnmittel",
    "Smarte Laternen als Warnmittel": "Smarte Laternen – innovative Warnmittel",
    "Verwaltung? Am liebsten digital! Die Projektgruppe „Digitales“": "Projektgruppe „Digitales“",
    "Digitale Beteiligungsplattformen im Vergleich": "Online-Beteiligungsplattform",
}


def _link_projects() -> None:
    for talk, title in PROJECT_OF_TALK.items():
        project = ProjectProfile.objects.filter(title=title).first()
        if project is not None:
            AgendaItem.objects.filter(title=talk, project=None).update(project=project)


def load(stdout=None, base=None) -> dict:
    """Create or update the demo meetings. Safe to run again."""
    with transaction.atomic():
        return _load(stdout=stdout, base=base)


def _load(*, stdout, base) -> dict:
    contacts = list(Contact.objects.active().select_related("municipality").order_by("pk"))
    series, _created = MeetingSeries.objects.get_or_create(
        name="Digitaler Stammtisch",
        defaults={
            "kind": Meeting.Kind.STAMMTISCH,
            "cadence_weeks": 6,
            "default_start_time": time(10, 0),
            "default_duration_minutes": 120,
            "format": Meeting.Format.ONLINE,
            "online_link": ONLINE_LINK,
            "description": "Der digitale IKONE DS-Stammtisch trifft sich alle sechs Wochen. Die "
            "Agenda orientiert sich an den aktuellen Fragestellungen der Netzwerkmitglieder.",
        },
    )
    this_year = timezone.localdate().year
    for year, start, end in [
        (2023, date(2023, 7, 24), date(2023, 9, 1)),
        (this_year, date(this_year, 12, 21), date(this_year + 1, 1, 2)),
        (this_year + 1, date(this_year + 1, 6, 29), date(this_year + 1, 8, 7)),
    ]:
        BlackoutPeriod.objects.get_or_create(
            series=series,
            start=start,
            defaults={
                "end": end,
                "name": "Weihnachtsferien" if start.month == 12 else f"Sommerferien {year}",
            },
        )

    # The Stammtische of 2023, as reported in the press texts.
    for data in STAMMTISCHE_2023:
        meeting = _meeting(
            data["slug"],
            series=series,
            kind=Meeting.Kind.STAMMTISCH,
            title="",
            start=_at(data["day"], 10),
            end=_at(data["day"], 12),
            format=Meeting.Format.ONLINE,
            online_link=ONLINE_LINK,
            status=Meeting.Status.HELD,
            public_summary=data["summary"],
            minutes=data.get("minutes", ""),
        )
        _agenda(meeting, data["agenda"])
        for what, who, due, status in data.get("actions", []):
            ActionItem.objects.update_or_create(
                meeting=meeting, what=what, defaults={"who": who, "due": due, "status": status}
            )
        _attendance(meeting, contacts, share=3)
    scheduling.renumber_series(series=series, year=2023)
    # An open task of the demo member: it waits on their start page.
    member = getattr((base or {}).get("member"), "contact", None)
    if member is not None:
        ActionItem.objects.update_or_create(
            meeting=meeting,
            what="Erfahrungen mit der E-Akte beim nächsten Stammtisch vorstellen",
            defaults={
                "who": member.full_name,
                "owner": member,
                "due": timezone.localdate() + timedelta(days=21),
                "status": ActionItem.Status.OPEN,
            },
        )

    # Video conference and the state's municipal congress, September 2020.
    video = _meeting(
        "2-videokonferenz-2020",
        kind=Meeting.Kind.VIDEO_CONFERENCE,
        title="2. Videokonferenz des Netzwerks",
        start=_at(date(2020, 9, 9), 14),
        end=_at(date(2020, 9, 9), 16),
        format=Meeting.Format.ONLINE,
        status=Meeting.Status.HELD,
        public_summary="21 Teilnehmende aus zehn Mitgliedsstädten tauschten sich über digitale "
        "Bürgerbeteiligung und digitale Veranstaltungen aus; erstmals mit zwei Gastvorträgen.",
    )
    _agenda(
        video,
        [
            ("Digitale Bürgerbeteiligungsformate", "", None, "", 40, ["beteiligungsplattformen"]),
            ("Digitale Veranstaltungen", "", None, "", 30, ["digitale-veranstaltungen"]),
            ("Gastvortrag", "", "Mainz", "", 20, []),
            ("Gastvortrag", "", "Verbandsgemeinde Enkenbach", "", 20, []),
        ],
    )
    congress = _meeting(
        "kommunalkongress-2020",
        kind=Meeting.Kind.WORKSHOP_DAY,
        title="Kommunalkongress Rheinland-Pfalz 2020",
        start=_at(date(2020, 9, 11), 9),
        end=_at(date(2020, 9, 11), 16),
        format=Meeting.Format.ONLINE,
        status=Meeting.Status.HELD,
        workshop_limit=2,
        description="Erstmals als Online-Veranstaltung, mit zwölf Workshops in zwei Runden. "
        "Jede Person konnte sich für höchstens zwei Workshops anmelden.",
    )
    for position, (round_no, title, hosts) in enumerate(CONGRESS_WORKSHOPS):
        Workshop.objects.update_or_create(
            meeting=congress,
            title=title,
            defaults={"round": round_no, "hosts": hosts, "capacity": 40, "position": position},
        )

    # The conference on crisis management, 27 July 2023 in Kaiserslautern.
    crisis = _meeting(
        "fachtagung-krisenmanagement-2023",
        kind=Meeting.Kind.CONFERENCE,
        title="Krisenmanagement – voneinander lernen, Krisen gemeinsam meistern",
        start=_at(date(2023, 7, 27), 9, 30),
        end=_at(date(2023, 7, 27), 16, 30),
        format=Meeting.Format.ON_SITE,
        location="Kaiserslautern",
        status=Meeting.Status.HELD,
        capacity=80,
        workshop_limit=2,
        description="Fachtagung des IKONE DS mit Beiträgen rund um das Krisenmanagement und "
        "viel Zeit zum Vernetzen.",
        public_summary="Kommunen berichteten, wie sie Krisen vorbereiten und bewältigen – "
        "von Warnmitteln bis zur Blackout-Vorsorge.",
    )
    _agenda(
        crisis,
        [
            ("Begrüßung", "", "Kaiserslautern", "", 15, []),
            (
                "Smarte Laternen als Warnmittel",
                "Frank Huber",
                None,
                "KL.digital GmbH",
                30,
                ["krisenmanagement", "smart-city"],
            ),
            ("Workshoprunde 1", "", None, "", 75, []),
            ("Workshoprunde 2", "", None, "", 75, []),
            ("Vernetzung und Abschluss", "", None, "", 45, []),
        ],
    )
    for position, (round_no, title, hosts, capacity) in enumerate(CRISIS_WORKSHOPS):
        Workshop.objects.update_or_create(
            meeting=crisis,
            title=title,
            defaults={
                "round": round_no,
                "hosts": hosts,
                "capacity": capacity,
                "position": position,
            },
        )
    _attendance(crisis, contacts, share=4)

    # Upcoming: the next Stammtische and a workshop day open for registration.
    today = timezone.localdate()
    upcoming = list(series.meetings.filter(start__gte=timezone.now()).order_by("start"))
    while len(upcoming) < 3:
        upcoming.append(
            scheduling.schedule_meeting(
                series=series,
                day=scheduling.propose_next_date(series=series)
                if upcoming
                else today + timedelta(days=10),
            )
        )
    for meeting in upcoming[:2]:
        if meeting.status == Meeting.Status.DRAFT:
            meeting.status = Meeting.Status.ANNOUNCED
            meeting.save(update_fields=["status"])
    _agenda(
        upcoming[0],
        [
            ("Digitalstrategie: Wie fangen wir an?", "", "Koblenz", "", 30, ["digitalstrategie"]),
            (
                "Erfahrungsaustausch: Hemmnisse der Verwaltungsdigitalisierung",
                "",
                None,
                "",
                45,
                ["verwaltungsdigitalisierung"],
            ),
            ("Neues aus dem Netzwerk", "Team IKONE DS", None, "Stadt Kaiserslautern", 15, []),
        ],
    )
    workshop_day_date = today + timedelta(days=45)
    workshop_day = Meeting.objects.filter(slug__startswith="workshoptag-hemmnisse").first()
    if workshop_day is None:
        workshop_day = _meeting(
            f"workshoptag-hemmnisse-{workshop_day_date:%Y}",
            kind=Meeting.Kind.WORKSHOP_DAY,
            title="Workshoptag: Hemmnisse der Digitalisierung überwinden",
            start=_at(workshop_day_date, 9, 30),
            end=_at(workshop_day_date, 15, 30),
            format=Meeting.Format.HYBRID,
            location="Ingelheim am Rhein, Rathaus",
            online_link="https://konferenz.ikone-ds.example/workshoptag",
            status=Meeting.Status.ANNOUNCED,
            capacity=60,
            registration_deadline=_at(workshop_day_date - timedelta(days=7), 12),
            workshop_limit=2,
            description="Offene Aussprache über gute und schlechte Beispiele der "
            "Digitalisierung in den Kommunen – mit Oberbürgermeister:innen und "
            "Bürgermeister:innen. Zwei Workshoprunden, höchstens zwei Workshops je Person.",
        )
    for position, (round_no, title, hosts, capacity) in enumerate(
        [
            (1, "Rückhalt der Verwaltungsspitze gewinnen", "Stadt Ingelheim am Rhein", 15),
            (1, "Projektgruppe „Digitales“ aufbauen", "Stadt Bad Dürkheim", 15),
            (1, "Datenschutz früh einbinden", "Stadt Trier", 15),
            (2, "Workflows digitalisieren", "Stadt Mainz", 15),
            (2, "Digitalstrategie in 100 Tagen", "IKONE DS", 2),
            (2, "Beteiligungsplattformen auswählen", "Stadt Koblenz", 15),
        ]
    ):
        Workshop.objects.update_or_create(
            meeting=workshop_day,
            title=title,
            defaults={
                "round": round_no,
                "hosts": hosts,
                "capacity": capacity,
                "position": position,
            },
        )
    # Two contacts fill the small workshop, so the demo shows the waiting list.
    small = workshop_day.workshops.get(title="Digitalstrategie in 100 Tagen")
    for contact in contacts[1:3]:
        if not workshop_day.registrations.filter(contact=contact).exists():
            registration_services.register(contact=contact, meeting=workshop_day, workshops=[small])
    if base and base.get("member"):
        member_contact = Contact.objects.filter(user=base["member"]).first()
        if member_contact and not upcoming[0].registrations.filter(contact=member_contact).exists():
            registration_services.register(contact=member_contact, meeting=upcoming[0])

    demo_cycle.load(series=series, contacts=contacts, base=base)
    demo_oparl.load(contacts=contacts, base=base)

    member = base.get("member") if base else None
    allocation_demo.load(
        contacts=contacts,
        member_contact=Contact.objects.filter(user=member).first() if member else None,
    )
    _link_projects()
    if stdout is not None:
        stdout.write(
            f"  Meetings: {Meeting.objects.count()} "
            f"({Meeting.objects.filter(start__gte=timezone.now()).count()} upcoming)"
        )
    return {"series": series, "next": upcoming[0], "workshop_day": workshop_day}
