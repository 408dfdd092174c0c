"""Demo posts (idempotent): meeting reports of the coordination team, blog entries of member
municipalities and one post waiting for moderation. The reports follow the network's own
reports of its 2nd and 3rd digital Stammtisch in 2023."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ikone.markup import render_markdown
from members.models import Municipality, Topic
from projects.models import ProjectProfile

from .models import Post, PostEvent

BERLIN = ZoneInfo("Europe/Berlin")

REPORT_2 = """Die wichtigsten Themen an diesem Termin waren Digitalisierung in der Verwaltung, die \
Vorstellung der Ergebnisse der Umfrage unter den IKONE DS-Mitgliedern sowie eine \
Zusammenfassung der bisherigen Besuche des IKONE DS-Teams in den einzelnen Kommunen.

## Verwaltungsdigitalisierung kommt langsam voran

Eine Herausforderung, welche die meisten Kommunen im Netzwerk teilen, ist die langsame \
Umsetzung der verwaltungsinternen Digitalisierung. Die Mitglieder berichteten von Hemmnissen \
innerhalb der eigenen Verwaltungen, begründet durch offene Fragen im Umgang mit dem \
Datenschutz oder neuen Workflows. Auch die Priorisierung der Verwaltungsdigitalisierung \
spielt eine große Rolle.

## Ergebnisse der Mitgliederumfrage

Am ersten Stammtisch des Jahres hatte das IKONE DS-Team eine kurze Umfrage durchgeführt. Die \
populärsten Themen sind:

* Hilfestellung bei der Erstellung von Digitalstrategien
* alles rund um das Thema Smart City
* digitale Beteiligungsplattformen

Für die kommenden Stammtische werden passende Referentinnen und Referenten eingebunden.

## Rundreise durch die Kommunen

Die ersten Gespräche der Rundreise zeigen: Viele Kommunen teilen die gleichen Sorgen und \
Herausforderungen – und schätzen den Wissenstransfer, den das Netzwerk bietet.

Der digitale IKONE DS-Stammtisch trifft sich alle sechs Wochen."""

REPORT_3 = """Die Themen des 3. digitalen Stammtisches waren „Smarte Lichtmasten“, Erfahrungen \
bei der Digitalisierung in der eigenen Verwaltung, Veröffentlichungsmöglichkeiten auf der \
IKONE DS-Homepage und die kommende Fachtagung zum Thema Krisenmanagement.

## Smarte Laternen in Kaiserslautern

Die KL.Digital GmbH stellte das Projekt „Smarte Laternen – innovative Warnmittel“ vor. Die \
Laternen können auf einzelnen Straßenzügen akustische Warnungen – auch mehrsprachig – \
aussenden und Smart-City-Anwendungen wie die Lenkung von Besucherströmen einbinden.

## Verwaltung? Am liebsten digital!

Den größten Raum nahm der Erfahrungsaustausch zur Digitalisierung in der eigenen Verwaltung \
ein. In Bad Dürkheim trifft sich alle sechs Wochen die abteilungsübergreifende Projektgruppe \
„Digitales“. Aus Ingelheim kam das Angebot, gemeinsam einen Workshop zu veranstalten, um \
offen über gute und schlechte Beispiele zu sprechen.

## Neues aus dem Netzwerk

Mitgliedskommunen können ab sofort Nachrichten und Blogeinträge auf der IKONE DS-Homepage \
veröffentlichen – so erfahren alle Mitglieder von den Projekten der anderen.

## Fachtagung Krisenmanagement

Zum Schluss gab es einen Überblick über die Fachtagung „Krisenmanagement – voneinander \
lernen, Krisen gemeinsam meistern“. Der nächste digitale Stammtisch findet nach den \
Sommerferien statt."""

# slug, kind, municipality slug (None: coordination), title, teaser, body, topics, published
POSTS = [
    (
        "zweiter-digitaler-stammtisch-2023",
        Post.Kind.MEETING_REPORT,
        None,
        "Zweiter digitaler Stammtisch 2023: Umfrageergebnisse und Rundreise",
        "Am 9. Mai trafen sich die Mitglieder zum zweiten digitalen Stammtisch des Jahres.",
        REPORT_2,
        ["verwaltungsdigitalisierung", "digitalstrategie"],
        datetime(2023, 5, 12, 10, 0, tzinfo=BERLIN),
    ),
    (
        "dritter-digitaler-stammtisch-smarte-laternen",
        Post.Kind.MEETING_REPORT,
        None,
        "3. digitaler Stammtisch: Smarte Laternen und offene Aussprache",
        "Smarte Lichtmasten, Verwaltungsdigitalisierung und die Fachtagung Krisenmanagement.",
        REPORT_3,
        ["smart-city", "krisenmanagement"],
        datetime(2023, 7, 10, 9, 30, tzinfo=BERLIN),
    ),
    (
        "mainz-startet-beteiligungsplattform",
        Post.Kind.BLOG,
        "mainz",
        "Mainz startet seine Beteiligungsplattform",
        "Bürgerinnen und Bürger können Vorhaben der Stadt jetzt online kommentieren.",
        "Nach einer Pilotphase mit zwei Bebauungsplänen ist die **Beteiligungsplattform** "
        "für alle Ämter geöffnet.\n\nWir berichten beim nächsten Stammtisch über unsere "
        "Erfahrungen mit Moderation und Barrierefreiheit.",
        ["beteiligungsplattformen"],
        datetime(2023, 9, 4, 8, 0, tzinfo=BERLIN),
    ),
    (
        "koblenz-sensornetz-pegel",
        Post.Kind.NEWS,
        "koblenz",
        "Koblenz misst Pegelstände mit eigenem Sensornetz",
        "An Rhein und Mosel liefern LoRaWAN-Sensoren Messwerte in Echtzeit.",
        "Die Messwerte fließen in das Lagebild des Krisenstabs ein. Die Daten stehen auch "
        "als [offene Daten](https://www.koblenz.de) zur Verfügung.",
        ["smart-city", "krisenmanagement"],
        datetime(2024, 2, 15, 11, 0, tzinfo=BERLIN),
    ),
    (
        "trier-digitalstrategie-beschlossen",
        Post.Kind.NEWS,
        "trier",
        "Trier beschließt seine Digitalstrategie",
        "Der Stadtrat hat die Digitalstrategie einstimmig verabschiedet.",
        "Die Strategie umfasst fünf Handlungsfelder – von der digitalen Verwaltung bis zur "
        "Smart City. Die Umsetzung begleitet eine Lenkungsgruppe.",
        ["digitalstrategie"],
        datetime(2024, 6, 3, 14, 0, tzinfo=BERLIN),
    ),
]

WAITING = (
    "kaiserslautern-e-akte-erfahrungen",
    Post.Kind.BLOG,
    "kaiserslautern",
    "Ein Jahr E-Akte in Kaiserslautern: unsere Erfahrungen",
    "Was gut lief, was wir anders machen würden – ein Erfahrungsbericht für das Netzwerk.",
    "Seit einem Jahr arbeiten drei Referate vollständig mit der **E-Akte**.\n\n"
    "* Schulungen in kleinen Gruppen haben sich bewährt.\n"
    "* Die Scanstelle war anfangs ein Engpass.\n\n"
    "Gerne stellen wir unsere Erfahrungen beim nächsten Stammtisch vor.",
    ["verwaltungsdigitalisierung"],
    None,
)


# Meeting reports and the meeting (from the meetings demo) they report on.
MEETING_OF = {
    "zweiter-digitaler-stammtisch-2023": "2-digitaler-stammtisch-2023",
    "dritter-digitaler-stammtisch-smarte-laternen": "3-digitaler-stammtisch-2023",
}


# Posts about a demo project profile (post slug → profile title); the catalogue's demo runs
# before this one.
PROJECT_OF = {
    "dritter-digitaler-stammtisch-smarte-laternen": "Smarte Laternen – innovative Warnmittel",
    "mainz-startet-beteiligungsplattform": "Online-Beteiligungsplattform",
    "koblenz-sensornetz-pegel": "Pegelmessung mit LoRaWAN",
    "trier-digitalstrategie-beschlossen": "Digitalstrategie der Stadt Trier",
}


def _link_projects() -> None:
    for post_slug, title in PROJECT_OF.items():
        project = ProjectProfile.objects.filter(title=title).first()
        if project is not None:
            Post.objects.filter(slug=post_slug, project=None).update(project=project)


def _link_meetings() -> None:
    meeting_model = Post._meta.get_field("meeting").related_model
    for post_slug, meeting_slug in MEETING_OF.items():
        meeting = meeting_model.objects.filter(slug=meeting_slug).first()
        if meeting is not None:
            Post.objects.filter(slug=post_slug, meeting=None).update(meeting=meeting)


def _author(municipality, *, member, coordinator):
    """The demo member writes for their municipality; other municipalities have no login."""
    if municipality is None:
        return coordinator
    contact = getattr(member, "contact", None)
    return member if contact and contact.municipality_id == municipality.pk else None


def _create(entry, *, author, coordinator):
    slug, kind, municipality_slug, title, teaser, body, topic_slugs, published_at = entry
    if Post.objects.filter(slug=slug).exists():
        return None
    municipality = (
        Municipality.objects.filter(slug=municipality_slug).first() if municipality_slug else None
    )
    post = Post.objects.create(
        slug=slug,
        kind=kind,
        title=title,
        teaser=teaser,
        body=body,
        body_html=render_markdown(body, images=True),
        municipality=municipality,
        author=_author(municipality, member=author, coordinator=coordinator),
        status=Post.Status.PUBLISHED if published_at else Post.Status.SUBMITTED,
        published_at=published_at,
        created_at=(published_at or timezone.now()) - timedelta(days=2),
    )
    post.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    PostEvent.objects.create(post=post, action=PostEvent.Action.CREATED, actor=post.author,
                             new_status=Post.Status.DRAFT)  # fmt: skip
    if published_at:
        PostEvent.objects.create(post=post, action=PostEvent.Action.PUBLISHED, actor=coordinator,
                                 old_status=Post.Status.SUBMITTED, new_status=post.status,
                                 created_at=published_at)  # fmt: skip
    else:
        PostEvent.objects.create(post=post, action=PostEvent.Action.SUBMITTED, actor=post.author,
                                 old_status=Post.Status.DRAFT, new_status=post.status)  # fmt: skip
    return post


# A post the coordination team sent back: it waits on the member's start page.
SENT_BACK = (
    "kaiserslautern-chatbot-buergerservice",
    Post.Kind.NEWS,
    "kaiserslautern",
    "Chatbot im Bürgerservice",
    "Seit dem Frühjahr beantwortet ein Chatbot häufige Fragen zu Terminen und Unterlagen.",
    "Der Chatbot läuft auf der Website der Stadt und kennt die häufigsten Anliegen.",
    ["smart-city"],
    None,
)
SENT_BACK_COMMENT = (
    "Bitte ergänzen Sie, seit wann der Chatbot läuft und wie viele Anfragen er beantwortet."
)


def _send_back(post, *, coordinator) -> None:
    Post.objects.filter(pk=post.pk).update(status=Post.Status.CHANGES_REQUESTED)
    PostEvent.objects.create(post=post, action=PostEvent.Action.CHANGES_REQUESTED,
                             actor=coordinator, old_status=Post.Status.SUBMITTED,
                             new_status=Post.Status.CHANGES_REQUESTED,
                             comment=SENT_BACK_COMMENT)  # fmt: skip


def load(stdout=None, base=None) -> list[Post]:
    base = base or {}
    coordinator = base.get("coordinator")
    member = base.get("member")
    created = [
        post
        for entry in [*POSTS, WAITING]
        if (post := _create(entry, author=member, coordinator=coordinator)) is not None
    ]
    sent_back = _create(SENT_BACK, author=member, coordinator=coordinator)
    if sent_back is not None:
        _send_back(sent_back, coordinator=coordinator)
        created.append(sent_back)
    _link_meetings()
    _link_projects()
    if stdout is not None:
        stdout.write(f"News: {len(created)} posts created ({len(POSTS) + 2} in the demo).")
    from ikone.pagecache import bump_version

    bump_version()
    return created
