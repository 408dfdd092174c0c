"""Demo surveys: the 2023 topic survey (published) and an open survey on digitalisation."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from members.models import Contact, Municipality

from . import services
from .models import Answer, Option, Question, Response, Survey

BERLIN = ZoneInfo("Europe/Berlin")
TOPIC_SURVEY = "Themenumfrage 2023"
STATE_SURVEY = "Stand der Digitalisierung in den Mitgliedskommunen"
# The press text of 9 May 2023: the most popular topics, in this order.
TOP_TOPICS = ["Digitalstrategie", "Smart City", "Digitale Beteiligungsplattformen"]


def load(stdout=None, base=None) -> None:
    """Create the demo surveys once; running again changes nothing."""
    municipalities = list(
        (base or {}).get("municipalities") or Municipality.objects.members().order_by("name")
    )
    _topic_survey(municipalities)
    _state_survey()
    if stdout is not None:
        stdout.write(
            "Surveys: Themenumfrage 2023 (veröffentlicht), Stand der Digitalisierung (offen)"
        )


def _topic_survey(municipalities) -> Survey:
    existing = Survey.objects.filter(title=TOPIC_SURVEY).first()
    if existing:
        return existing
    survey = Survey.objects.create(
        title=TOPIC_SURVEY,
        intro=(
            "Welche Themen interessieren Ihre Kommune besonders? Nach Ihren Antworten planen wir "
            "die Agenda der kommenden digitalen Stammtische."
        ),
        opens_at=datetime(2023, 3, 21, 9, 0, tzinfo=BERLIN),
        closes_at=datetime(2023, 4, 28, 18, 0, tzinfo=BERLIN),
        opened_at=datetime(2023, 3, 21, 9, 0, tzinfo=BERLIN),
        results_visibility=Survey.Visibility.PUBLIC,
        reminder_days=7,
    )
    ranking = Question.objects.create(
        survey=survey,
        position=1,
        kind=Question.Kind.RANKING,
        text="Bitte bringen Sie die Themen in die Reihenfolge Ihres Interesses.",
        help_text="Das wichtigste Thema zuerst.",
        required=True,
    )
    services.fill_topic_options(question=ranking)
    rhythm = Question.objects.create(
        survey=survey,
        position=2,
        kind=Question.Kind.SINGLE,
        text="Wie oft sollte der digitale Stammtisch stattfinden?",
        required=True,
    )
    Option.objects.bulk_create(
        Option(question=rhythm, position=i, text=t)
        for i, t in enumerate(["Alle vier Wochen", "Alle sechs Wochen", "Quartalsweise"])
    )
    wishes = Question.objects.create(
        survey=survey,
        position=3,
        kind=Question.Kind.TEXT,
        text="Welche Referentinnen und Referenten wünschen Sie sich?",
    )
    options = list(ranking.options.all())
    rhythm_options = list(rhythm.options.all())
    weights = {name: 3.0 - index * 0.8 for index, name in enumerate(TOP_TOPICS)}
    rng = random.Random(2023)  # noqa: S311 (demo data)
    texts = [
        "Eine Kommune, die bereits eine Digitalstrategie beschlossen hat.",
        "Praxisberichte zu Beteiligungsplattformen, gern mit Live-Demo.",
        "Jemand aus einem Smart-City-Modellprojekt.",
        "",
    ]
    # Invited were the members of March 2023; 18 of them answered.
    opened = survey.opened_at.date()
    invited = [m for m in municipalities if m.member_since is None or m.member_since <= opened]
    survey.invited_municipalities.set(invited)
    submitted_at = datetime(2023, 4, 3, 10, 0, tzinfo=BERLIN)
    for index, municipality in enumerate(invited[:18]):
        order = sorted(options, key=lambda o: -(weights.get(o.text, 0) + rng.uniform(0, 2.2)))
        contact = Contact.objects.filter(municipality=municipality).first()
        response = Response.objects.create(
            survey=survey,
            municipality=municipality,
            status=Response.Status.SUBMITTED,
            version=1,
            edited_by=contact,
            submitted_at=submitted_at + timedelta(days=index),
        )
        rows = [
            Answer(response=response, question=ranking, option=o, rank=rank)
            for rank, o in enumerate(order, start=1)
        ]
        choice = rhythm_options[1] if index % 3 else rhythm_options[index % 2 * 2]
        rows.append(Answer(response=response, question=rhythm, option=choice))
        if texts[index % len(texts)]:
            rows.append(Answer(response=response, question=wishes, text=texts[index % len(texts)]))
        Answer.objects.bulk_create(rows)
    return survey


def _state_survey() -> Survey:
    existing = Survey.objects.filter(title=STATE_SURVEY).first()
    if existing:
        return existing
    now = timezone.now()
    survey = Survey.objects.create(
        title=STATE_SURVEY,
        intro=(
            "Wo steht Ihre Verwaltung bei der Digitalisierung? Die Antworten helfen uns, "
            "Hemmnisse zu erkennen und passende Stammtisch-Themen zu finden."
        ),
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=21),
        opened_at=now - timedelta(days=3),
        reminder_days=7,
    )
    Question.objects.create(
        survey=survey,
        position=1,
        kind=Question.Kind.RATING,
        text="Wie weit ist die verwaltungsinterne Digitalisierung in Ihrer Kommune?",
        min_value=1,
        max_value=5,
        min_label="am Anfang",
        max_label="weit fortgeschritten",
        required=True,
    )
    systems = Question.objects.create(
        survey=survey,
        position=2,
        kind=Question.Kind.MULTIPLE,
        text="Welche Systeme setzen Sie bereits ein?",
    )
    Option.objects.bulk_create(
        Option(question=systems, position=i, text=t)
        for i, t in enumerate(
            ["E-Akte", "Ratsinformationssystem", "Online-Terminvergabe", "Bürgerportal", "Sensorik"]
        )
    )
    Question.objects.create(
        survey=survey,
        position=3,
        kind=Question.Kind.NUMBER,
        text="Wie viele Verwaltungsleistungen bieten Sie online an?",
        min_value=0,
        max_value=1000,
    )
    Question.objects.create(
        survey=survey,
        position=4,
        kind=Question.Kind.TEXT,
        text="Was hemmt die Digitalisierung in Ihrer Verwaltung am meisten?",
        help_text="Zum Beispiel Datenschutzfragen, neue Workflows, Prioritäten.",
    )
    return survey
