"""Demo profiles (idempotent). The first five follow the network's own reports (3rd Stammtisch
2023, member talks); the others are invented so that every topic has two or three."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ikone.markup import render_markdown
from members.models import Contact, Municipality, Topic

from .models import AskConsent, ProjectProfile, Reuse

BERLIN = ZoneInfo("Europe/Berlin")
S = ProjectProfile.Stage
F = ProjectProfile.FieldOfAction

# key: municipality slug, title, topics, field, stage, start, end, budget, funding, partners,
# outside partners, public, last update, summary, reason (stopped), lessons, obstacles
PROFILES = [
    {
        "municipality": "kaiserslautern",
        "title": "Smarte Laternen – innovative Warnmittel",
        "topics": ["smart-city", "krisenmanagement"],
        "field": F.SAFETY,
        "stage": S.STOPPED,
        "start": date(2021, 3, 1),
        "end": date(2023, 6, 30),
        "budget": "50k-250k",
        "funding": ["federal", "own"],
        "outside": "KL.Digital GmbH",
        "public": True,
        "updated": date(2025, 11, 3),
        "summary": "Straßenlaternen, die auf einzelnen Straßenzügen oder Plätzen akustische "
        "Warnungen – auch mehrsprachig – aussenden und Smart-City-Anwendungen einbinden.",
        "reason": "Die sozial- und technisch-wissenschaftlichen Ergebnisse waren positiv und die "
        "Systemintegration unproblematisch. Das Organisationsmanagement der Stadtverwaltung "
        "bewertet den Betrieb aber als „sehr kompliziert“; die Stadt verfolgt das Projekt "
        "daher nicht weiter.",
        "lessons": "Früh klären, welche Stelle den Betrieb übernimmt (Leitstelle, Tiefbau, IT). "
        "Die Technik war nicht das Problem, die Zuständigkeiten schon.",
        "obstacles": "Zuständigkeiten über mehrere Ämter; Betriebskosten nach der Förderung.",
        "description": "Die Laternen bieten die Möglichkeit, Besucherströme durch "
        "Straßenprojektion oder Lichtfarbe zu lenken und die Beleuchtung in Fußwegen zu "
        "steuern. Eine Feuerwehr-Leitstelle könnte sie über eine Smart-City-Anwendung "
        "selektiv ansteuern.",
    },
    {
        "municipality": "bad-duerkheim",
        "title": "Projektgruppe „Digitales“",
        "topics": ["verwaltungsdigitalisierung", "strukturen-digitaler-projekte"],
        "field": F.STRATEGY,
        "stage": S.OPERATION,
        "start": date(2022, 9, 1),
        "budget": "lt10k",
        "funding": ["own"],
        "public": True,
        "updated": date(2026, 6, 12),
        "summary": "Mitarbeitende aller Abteilungen treffen sich alle sechs Wochen, um über "
        "digitale Themen zu beraten – mit Rückhalt durch den Bürgermeister.",
        "lessons": "Der Mehrwert für die Mitarbeitenden steht im Mittelpunkt; jede Abteilung "
        "schickt eine feste Person, damit Entscheidungen zurück in die Ämter getragen werden.",
        "obstacles": "Zeit der Mitarbeitenden neben dem Tagesgeschäft.",
    },
    {
        "municipality": "mainz",
        "title": "Online-Beteiligungsplattform",
        "topics": ["beteiligungsplattformen"],
        "field": F.PARTICIPATION,
        "stage": S.OPERATION,
        "start": date(2020, 4, 1),
        "budget": "50k-250k",
        "funding": ["own", "state"],
        "public": True,
        "software": True,
        "repository": "https://github.com/decidim/decidim",
        "license": "AGPL-3.0-or-later",
        "version": "0.27",
        "updated": date(2026, 3, 20),
        "summary": "Bürgerinnen und Bürger bringen Vorschläge ein, kommentieren Planungen und "
        "stimmen über Projekte ab – auf einer Open-Source-Plattform.",
        "lessons": "Ohne Redaktion, die jede Eingabe beantwortet, schläft eine Plattform ein.",
        "obstacles": "Datenschutz-Folgenabschätzung; Moderation am Wochenende.",
    },
    {
        "municipality": "koblenz",
        "title": "Pegelmessung mit LoRaWAN",
        "topics": ["sensornetzwerke", "krisenmanagement", "smart-city"],
        "field": F.ENVIRONMENT,
        "stage": S.OPERATION,
        "start": date(2023, 5, 1),
        "budget": "10k-50k",
        "funding": ["state", "own"],
        "outside": "Stadtwerke Koblenz",
        "public": True,
        "updated": date(2026, 9, 1),
        "summary": "Ein LoRaWAN-Sensornetz misst die Pegel an Rhein, Mosel und kleinen Bächen; "
        "in Betrieb seit 2024, mit Warnschwellen für den Krisenstab.",
        "lessons": "Gateways auf städtischen Dächern sparen Miete; Batterielaufzeit vorher im "
        "Feld testen.",
        "obstacles": "Montage an Brücken braucht Genehmigungen mehrerer Stellen.",
    },
    {
        "municipality": "trier",
        "title": "Digitalstrategie der Stadt Trier",
        "topics": ["digitalstrategie"],
        "field": F.STRATEGY,
        "stage": S.COMPLETED,
        "start": date(2021, 1, 1),
        "end": date(2022, 12, 31),
        "budget": "50k-250k",
        "funding": ["own"],
        "outside": "Fraunhofer IESE",
        "public": True,
        "updated": date(2026, 2, 2),
        "summary": "Eine Strategie mit Leitbild, Handlungsfeldern und Maßnahmen, beschlossen vom "
        "Stadtrat, erarbeitet mit Verwaltung, Politik und Stadtgesellschaft.",
        "lessons": "Die Maßnahmenliste muss Zuständige und Budget nennen, sonst bleibt sie Papier.",
        "obstacles": "Priorisierung der Verwaltungsdigitalisierung gegenüber anderen Aufgaben.",
    },
    {
        "municipality": "speyer",
        "title": "Hybride Ratssitzungen",
        "topics": ["digitale-veranstaltungen", "verwaltungsdigitalisierung"],
        "field": F.ADMINISTRATION,
        "stage": S.OPERATION,
        "start": date(2021, 2, 1),
        "budget": "10k-50k",
        "funding": ["own"],
        "updated": date(2026, 1, 15),
        "summary": "Ratsmitglieder nehmen vor Ort oder per Video teil; Abstimmungen laufen über "
        "ein Abstimmungssystem.",
        "lessons": "Technikprobe vor jeder Sitzung; feste Ansprechperson im Saal.",
    },
    {
        "municipality": "ingelheim-am-rhein",
        "title": "Workshop „Gute und schlechte Beispiele“",
        "topics": ["strukturen-digitaler-projekte", "digitale-veranstaltungen"],
        "field": F.STRATEGY,
        "stage": S.PLANNING,
        "start": date(2026, 10, 1),
        "budget": "lt10k",
        "funding": ["own"],
        "updated": date(2026, 9, 20),
        "summary": "Ein offener Workshop mit den IKONE DS-Organisatoren über positive und "
        "negative Beispiele – mit Oberbürgermeister:innen und Bürgermeister:innen.",
    },
    {
        "municipality": "ludwigshafen-am-rhein",
        "title": "Datenschutz-Checkliste für digitale Projekte",
        "topics": ["datenschutz", "verwaltungsdigitalisierung"],
        "field": F.ADMINISTRATION,
        "stage": S.OPERATION,
        "start": date(2023, 3, 1),
        "budget": "lt10k",
        "funding": ["own"],
        "public": True,
        "updated": date(2026, 4, 8),
        "summary": "Eine Checkliste, mit der Fachämter offene Datenschutzfragen vor dem "
        "Projektstart klären – bevor sie zur Hürde werden.",
        "lessons": "Der Datenschutzbeauftragte gehört in die erste Projektsitzung.",
        "obstacles": "Offene Fragen im Umgang mit dem Datenschutz bremsten viele Vorhaben.",
    },
    {
        "municipality": "worms",
        "title": "Bürgerhaushalt online",
        "topics": ["beteiligungsplattformen"],
        "field": F.PARTICIPATION,
        "stage": S.COMPLETED,
        "start": date(2022, 1, 1),
        "end": date(2023, 12, 31),
        "budget": "10k-50k",
        "funding": ["own"],
        "updated": date(2026, 5, 5),
        "summary": "Zwei Runden Bürgerhaushalt mit Vorschlägen und Bewertungen im Netz.",
        "lessons": "Ergebnisse sichtbar umsetzen, sonst sinkt die Beteiligung in der "
        "zweiten Runde.",
    },
    {
        "municipality": "neustadt-an-der-weinstrasse",
        "title": "Mobiles Arbeiten in der Verwaltung",
        "topics": ["homeoffice"],
        "field": F.ADMINISTRATION,
        "stage": S.OPERATION,
        "start": date(2020, 4, 1),
        "budget": "50k-250k",
        "funding": ["own"],
        "updated": date(2026, 2, 25),
        "summary": "Laptops, VPN und digitale Akten für alle Arbeitsplätze, an denen mobiles "
        "Arbeiten möglich ist.",
    },
    {
        "municipality": "pirmasens",
        "title": "Dienstvereinbarung Homeoffice",
        "topics": ["homeoffice", "datenschutz"],
        "field": F.ADMINISTRATION,
        "stage": S.COMPLETED,
        "start": date(2021, 6, 1),
        "end": date(2022, 3, 31),
        "funding": ["own"],
        "updated": date(2026, 3, 3),
        "summary": "Eine Dienstvereinbarung mit Personalrat und Datenschutz über Arbeitszeit, "
        "Erreichbarkeit und Umgang mit Akten zu Hause.",
    },
    {
        "municipality": "zweibruecken",
        "title": "Digitalstrategie 2030 mit Bürgerbeteiligung",
        "topics": ["digitalstrategie", "beteiligungsplattformen"],
        "field": F.STRATEGY,
        "stage": S.PLANNING,
        "start": date(2026, 1, 1),
        "funding": ["state"],
        "partners": ["trier"],
        "updated": date(2026, 8, 14),
        "summary": "Zweibrücken erarbeitet seine Digitalstrategie und lässt die "
        "Stadtgesellschaft online mitreden; Trier berät.",
    },
    {
        "municipality": "landau-in-der-pfalz",
        "title": "Parkraumsensoren in der Innenstadt",
        "topics": ["sensornetzwerke", "smart-city"],
        "field": F.MOBILITY,
        "stage": S.IMPLEMENTATION,
        "start": date(2025, 4, 1),
        "budget": "50k-250k",
        "funding": ["federal"],
        "partners": ["koblenz"],
        "updated": date(2026, 7, 7),
        "summary": "Bodensensoren melden freie Parkplätze über das LoRaWAN-Netz an eine "
        "Parkleit-App.",
    },
    {
        "municipality": "verbandsgemeinde-enkenbach-alsenborn",
        "title": "Digitale Dorfplätze",
        "topics": ["kommunalentwicklung"],
        "field": F.PARTICIPATION,
        "stage": S.IMPLEMENTATION,
        "start": date(2024, 5, 1),
        "funding": ["state"],
        "outside": "Digitale Dörfer (Fraunhofer IESE)",
        "public": True,
        "updated": date(2026, 6, 30),
        "summary": "Eine Dorf-App für Nachrichten, Nachbarschaftshilfe und einen digitalen "
        "Marktplatz in den Ortsgemeinden.",
    },
    {
        "municipality": "wittlich",
        "title": "Leerstandskataster für die Innenstadt",
        "topics": ["kommunalentwicklung"],
        "field": F.ECONOMY,
        "stage": S.IDEA,
        "updated": date(2026, 10, 1),
        "summary": "Leer stehende Ladenlokale auf einer Karte, damit Gründerinnen und "
        "Gründer sie finden.",
    },
    {
        "municipality": "montabaur",
        "title": "Digitales Lagebild für den Krisenstab",
        "topics": ["krisenmanagement"],
        "field": F.SAFETY,
        "stage": S.PLANNING,
        "start": date(2026, 3, 1),
        "funding": ["state"],
        "partners": ["koblenz"],
        "updated": date(2026, 9, 9),
        "summary": "Ein gemeinsames Lagebild mit Pegeln, Einsatzkräften und Warnmeldungen für "
        "den Krisenstab.",
    },
    {
        "municipality": "frankenthal-pfalz",
        "title": "Videokonferenzen für Gremien",
        "topics": ["digitale-veranstaltungen"],
        "field": F.ADMINISTRATION,
        "stage": S.COMPLETED,
        "start": date(2020, 5, 1),
        "end": date(2021, 6, 30),
        "funding": ["own"],
        "updated": date(2024, 10, 1),  # stale: the yearly reminder has work to do
        "summary": "Ausschüsse tagten in der Pandemie per Videokonferenz; die Erfahrungen flossen "
        "in die Geschäftsordnung ein.",
    },
]


# adopting municipality, project title, stage, since, confirmed, effort, lessons
REUSES = [
    (
        "kaiserslautern",
        "Online-Beteiligungsplattform",
        "adopted",
        date(2024, 9, 1),
        True,
        "20 Personentage, Hosting beim kommunalen Rechenzentrum",
        "Die Mainzer Moderationsregeln haben wir übernommen; das spart viele Diskussionen.",
    ),
    ("worms", "Online-Beteiligungsplattform", "adopting", date(2026, 5, 1), False, "", ""),
    (
        "landau-in-der-pfalz",
        "Pegelmessung mit LoRaWAN",
        "adopted",
        date(2025, 4, 1),
        True,
        "Gateways und Netzserver von Koblenz mitgenutzt",
        "Die Sensoren für Parkplätze laufen im selben Netz.",
    ),
    (
        "montabaur",
        "Smarte Laternen – innovative Warnmittel",
        "in_contact",
        date(2026, 8, 1),
        False,
        "",
        "Wir prüfen, ob die Warnfunktion ohne Laternen über Sirenen geht.",
    ),
    (
        "zweibruecken",
        "Digitalstrategie der Stadt Trier",
        "adopting",
        date(2026, 1, 15),
        True,
        "",
        "",
    ),
    ("speyer", "Projektgruppe „Digitales“", "interested", date(2026, 9, 1), False, "", ""),
]


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=BERLIN)


def load(stdout=None, base=None) -> list[ProjectProfile]:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    places = {m.slug: m for m in Municipality.objects.all()}
    coordinator = (base or {}).get("coordinator")
    loaded = []
    for spec in PROFILES:
        municipality = places.get(spec["municipality"])
        if municipality is None:
            continue
        slug = _slug(spec["title"])
        public = spec.get("public", False)
        moment = _moment(spec["updated"])
        description = spec.get("description", "")  # the summary is shown above it anyway
        project, _created = ProjectProfile.objects.update_or_create(
            slug=slug[:150],
            defaults={
                "municipality": municipality,
                "title": spec["title"],
                "summary": spec["summary"],
                "description": description,
                "description_html": render_markdown(description),
                "field_of_action": spec["field"],
                "stage": spec["stage"],
                "stage_reason": spec.get("reason", ""),
                "start": spec.get("start"),
                "end": spec.get("end"),
                "budget_band": spec.get("budget", ""),
                "funding": spec.get("funding", []),
                "outside_partners": spec.get("outside", ""),
                "lessons_learned": spec.get("lessons", ""),
                "obstacles": spec.get("obstacles", ""),
                "is_software": spec.get("software", False),
                "repository_url": spec.get("repository", ""),
                "software_license": spec.get("license", ""),
                "software_version": spec.get("version", ""),
                "visibility": "public" if public else "members",
                "status": "published" if public else "draft",
                "published_at": moment if public else None,
                "created_by": coordinator,
                "created_at": moment,
                "updated_at": moment,
            },
        )
        project.topics.set([topics[s] for s in spec["topics"] if s in topics])
        project.partner_municipalities.set(
            [places[s] for s in spec.get("partners", []) if s in places]
        )
        contact = Contact.objects.filter(municipality=municipality, is_primary=True).first()
        project.contacts.set([contact] if contact else [])
        loaded.append(project)
    _load_reuses(places, coordinator)
    _load_consents(loaded)
    if stdout is not None:
        stdout.write(f"  projects: {len(loaded)} profiles")
    return loaded


def _load_reuses(places, coordinator) -> None:
    for slug, title, stage, since, confirmed, effort, lessons in REUSES:
        municipality = places.get(slug)
        project = ProjectProfile.objects.filter(title=title).first()
        if municipality is None or project is None:
            continue
        Reuse.objects.update_or_create(
            project=project,
            municipality=municipality,
            defaults={
                "stage": stage,
                "date": since,
                "effort": effort,
                "lessons": lessons,
                "contact": Contact.objects.filter(
                    municipality=municipality, is_primary=True
                ).first(),
                "confirmation": "confirmed" if confirmed else "pending",
                "confirmed_at": _moment(since) if confirmed else None,
                "confirmed_by": coordinator if confirmed else None,
            },
        )


def _slug(text: str) -> str:
    from ikone.text import german_slugify

    return german_slugify(text)[:100]


# Municipalities whose contact persons have not (yet) agreed to be asked.
NOT_ASKED = {"wittlich", "montabaur"}


def _load_consents(projects: list[ProjectProfile]) -> None:
    """The contact persons named on the profiles agree to be asked on their topics."""
    for index, project in enumerate(projects):
        if project.municipality.slug in NOT_ASKED:
            continue
        for contact in project.contacts.all():
            consent, _created = AskConsent.objects.get_or_create(
                contact=contact, defaults={"monthly_cap": 5 if index % 3 == 0 else None}
            )
            consent.topics.add(*project.topics.all())
