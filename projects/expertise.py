"""*Wen fragen?* — whom to ask: contact persons ranked by evidence, always with the reason.

Evidence counts only for people who agreed to be asked on one of the topics the question is
about (:class:`~projects.models.AskConsent`), and never comes from free text the person did
not publish. What counts, and how much:

=====================================  ======
project role: leads a profile (named    3.0
on it, of the owning municipality)
spoke at a meeting (other apps)         2.0
partner in a profile                    2.0
wrote a published post (other apps)     1.5
the person's municipality adopted a     1.0
project (confirmed reuse they recorded)
the municipality counts the topic       0.5
among its topics of interest
=====================================  ======

Each weight is multiplied by a recency factor that halves every two years, so newer evidence
weighs more. Project roles also count by how far the project got (an idea teaches less than a
project in operation; a stopped one teaches as much) and, for a question in own words, less
for profiles that only share a topic with the words than for profiles that contain them.

Talks and posts live in apps this one must not import: those apps hand their evidence
functions to :func:`register_source` in their ``AppConfig.ready()``; each is called as
``source(question=..., contacts=...)`` and returns a list of :class:`Evidence`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Contact, Municipality, Topic
from members.permissions import contact_of

from .models import ProjectProfile, Reuse, Suggestion

LEAD, TALK, PARTNER, POST, REUSER, MUNICIPALITY_TOPIC = 3.0, 2.0, 2.0, 1.5, 1.0, 0.5
HALF_LIFE_DAYS = 2 * 365
MAX_RESULTS = 10
STAGE_FACTOR = {
    "idea": 0.4,
    "planning": 0.6,
    "implementation": 0.8,
    "operation": 1.0,
    "completed": 1.0,
    "stopped": 1.0,
}
INDIRECT = 0.6  # a profile found through a topic of the words, not through the words
MAX_QUESTION = 200


@dataclass(frozen=True)
class Evidence:
    contact_id: int
    weight: float
    reason: str
    when: dt.date | None = None


@dataclass
class Question:
    """What a member asks about: a topic, or free words matched to topics and profiles."""

    topic: Topic | None = None
    text: str = ""
    topic_ids: set[int] = field(default_factory=set)
    project_ids: set[int] = field(default_factory=set)
    direct_project_ids: set[int] = field(default_factory=set)

    def relevance(self, project_id: int) -> float:
        return 1.0 if project_id in self.direct_project_ids else INDIRECT

    @property
    def terms(self) -> list[str]:
        words = re.findall(r"\w+", self.text.lower())
        return [word for word in words if len(word) >= 4][:10]


@dataclass
class Expert:
    contact: Contact
    score: float
    reasons: list[str]


def talk_reason(*, title: str, meeting: str) -> str:
    """The reason of a talk, for the sources in other apps (the wording stays here)."""
    return _("spoke on “%(title)s” at %(meeting)s") % {"title": title, "meeting": meeting}


def post_reason(*, title: str) -> str:
    return _("wrote “%(title)s”") % {"title": title}


def recency(when: dt.date | None, *, today: dt.date | None = None) -> float:
    if when is None:
        return 0.5
    today = today or timezone.localdate()
    age = max(0, (today - when).days)
    return 0.5 ** (age / HALF_LIFE_DAYS)


def understand(*, topic: Topic | None = None, text: str = "") -> Question:
    """Which topics and published profiles the question is about."""
    text = " ".join((text or "").replace("\x00", "").split())[:MAX_QUESTION]
    question = Question(topic=topic, text=text)
    if topic is not None:
        question.topic_ids = {topic.pk}
        question.project_ids = set(
            ProjectProfile.objects.for_members().filter(topics=topic).values_list("pk", flat=True)
        )
        question.direct_project_ids = question.project_ids
        return question
    terms = question.terms
    if not terms:
        return question
    topic_match, project_match = Q(), Q()
    for term in terms:
        topic_match |= Q(name__icontains=term) | Q(description__icontains=term)
        project_match |= (
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(description__icontains=term)
        )
    topic_ids = set(Topic.objects.filter(topic_match, is_active=True).values_list("pk", flat=True))
    projects = ProjectProfile.objects.for_members()
    matched = set(projects.filter(project_match).values_list("pk", flat=True))
    by_topic = set(projects.filter(topics__in=topic_ids).values_list("pk", flat=True))
    question.project_ids = matched | by_topic
    question.direct_project_ids = matched
    question.topic_ids = topic_ids | set(
        ProjectProfile.topics.through.objects.filter(projectprofile_id__in=matched).values_list(
            "topic_id", flat=True
        )
    )
    return question


def consenting_contacts(question: Question) -> dict[int, Contact]:
    """Active contacts who agreed to be asked on one of the question's topics and are
    under their monthly cap."""
    if not question.topic_ids:
        return {}
    contacts = (
        Contact.objects.active()
        .filter(ask_consent__topics__in=question.topic_ids)
        .select_related("municipality", "ask_consent")
        .distinct()
    )
    return {contact.pk: contact for contact in contacts}


def _month_start(now) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def capped_out(contacts: Iterable[Contact], *, asker, now=None) -> set[int]:
    """Contacts whose monthly cap is reached by other members this month."""
    now = now or timezone.now()
    capped = {c.pk: c.ask_consent.monthly_cap for c in contacts if c.ask_consent.monthly_cap}
    if not capped:
        return set()
    counts = (
        Suggestion.objects.filter(contact_id__in=capped, created_at__gte=_month_start(now))
        .exclude(asked_by=asker)
        .values("contact_id")
        .annotate(askers=Count("asked_by", distinct=True))
    )
    return {row["contact_id"] for row in counts if row["askers"] >= capped[row["contact_id"]]}


def _project_evidence(question: Question, contacts: dict[int, Contact]) -> list[Evidence]:
    evidence = []
    projects = (
        ProjectProfile.objects.for_members()
        .filter(pk__in=question.project_ids, contacts__in=contacts)
        .select_related("municipality")
        .prefetch_related("contacts", "partner_municipalities")
        .distinct()
    )
    for project in projects:
        partners = {m.pk for m in project.partner_municipalities.all()}
        when = project.end or project.updated_at.date()  # a running project is current
        factor = STAGE_FACTOR.get(project.stage, 1.0) * question.relevance(project.pk)
        for person in project.contacts.all():
            if person.pk not in contacts:
                continue
            if person.municipality_id == project.municipality_id:
                evidence.append(Evidence(person.pk, LEAD * factor, _lead_reason(project), when))
            elif person.municipality_id in partners:
                reason = _("partner in “%(title)s” of %(municipality)s") % {
                    "title": project.title,
                    "municipality": project.municipality.name,
                }
                evidence.append(Evidence(person.pk, PARTNER * factor, reason, when))
    reuses = Reuse.objects.filter(
        project_id__in=question.project_ids,
        contact_id__in=contacts,
        confirmation=Reuse.Confirmation.CONFIRMED,
    ).select_related("project__municipality")
    for reuse in reuses:
        reason = _("their municipality took up “%(title)s” from %(municipality)s (%(stage)s)") % {
            "title": reuse.project.title,
            "municipality": reuse.project.municipality.name,
            "stage": reuse.get_stage_display(),
        }
        weight = REUSER * question.relevance(reuse.project_id)
        evidence.append(Evidence(reuse.contact_id, weight, reason, reuse.date))
    return evidence


def _lead_reason(project: ProjectProfile) -> str:
    values = {"title": project.title, "stage": project.get_stage_display()}
    finished = project.stage in (ProjectProfile.Stage.COMPLETED, ProjectProfile.Stage.STOPPED)
    if finished and (project.end or project.start):
        year = (project.end or project.start).year
        return _("led “%(title)s” (%(stage)s %(year)s)") % {**values, "year": year}
    if project.start:
        return _("leads “%(title)s”, started %(year)s, now %(stage)s") % {
            **values,
            "year": project.start.year,
        }
    return _("leads “%(title)s” (%(stage)s)") % values


def _municipality_topic_evidence(
    question: Question, contacts: dict[int, Contact]
) -> list[Evidence]:
    through = Municipality.topics.through
    by_municipality = defaultdict(list)
    for contact in contacts.values():
        by_municipality[contact.municipality_id].append(contact)
    rows = (
        through.objects.filter(municipality_id__in=by_municipality, topic_id__in=question.topic_ids)
        .select_related("topic", "municipality")
        .order_by("topic__position")
    )
    evidence = []
    for row in rows:
        for contact in by_municipality[row.municipality_id]:
            reason = _("%(municipality)s counts %(topic)s among its topics") % {
                "municipality": row.municipality.name,
                "topic": row.topic.name,
            }
            evidence.append(Evidence(contact.pk, MUNICIPALITY_TOPIC, reason, None))
    return evidence


EvidenceSource = Callable[..., list["Evidence"]]
_sources: list[EvidenceSource] = []


def register_source(source: EvidenceSource) -> EvidenceSource:
    """Add an evidence function of another app (called from its ``AppConfig.ready()``).

    Registering the same function twice keeps one entry, so a second ``ready()`` (tests that
    reload the apps) does not count its evidence twice. Returns ``source`` (usable as a
    decorator).
    """
    if source not in _sources:
        _sources.append(source)
    return source


def other_sources() -> list[EvidenceSource]:
    """The registered evidence functions, in the order the apps registered them."""
    return list(_sources)


def rank(question: Question, *, asker=None, now=None) -> list[Expert]:
    """The consenting, uncapped contacts with evidence, best first, each with its reasons."""
    contacts = consenting_contacts(question)
    own = contact_of(asker) if asker is not None else None
    if own is not None:
        contacts.pop(own.pk, None)
    if asker is not None:
        for pk in capped_out(contacts.values(), asker=asker, now=now):
            contacts.pop(pk, None)
    if not contacts:
        return []
    evidence = _project_evidence(question, contacts)
    for source in other_sources():
        evidence += source(question=question, contacts=contacts)
    evidence += _municipality_topic_evidence(question, contacts)
    today = timezone.localdate(now) if now else timezone.localdate()
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for item in evidence:
        if item.contact_id not in contacts:
            continue  # a source must not widen the circle of people who agreed
        value = item.weight * recency(item.when, today=today)
        scores[item.contact_id] += value
        reasons[item.contact_id].append((value, item.reason))
    # people with nothing but their municipality's interest are not experts
    experts = [
        Expert(
            contact=contacts[pk],
            score=round(score, 4),
            reasons=[reason for _value, reason in sorted(reasons[pk], key=lambda r: -r[0])],
        )
        for pk, score in scores.items()
        if score > MUNICIPALITY_TOPIC
    ]
    experts.sort(key=lambda e: (-e.score, e.contact.last_name, e.contact.first_name))
    return experts[:MAX_RESULTS]
