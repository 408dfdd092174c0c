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
``source(question=..., contacts=...)`` and returns a :class:`~projects.tally.Tally` made with
:func:`evidence_tally` (summed in the database; only the strongest items per person become
reasons) or, for small sources, a list of :class:`Evidence`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Contact, Municipality, Topic
from members.permissions import contact_of

from .models import ProjectProfile, Reuse, Suggestion
from .tally import Tally, tally

LEAD, TALK, PARTNER, POST, REUSER, MUNICIPALITY_TOPIC = 3.0, 2.0, 2.0, 1.5, 1.0, 0.5
HALF_LIFE_DAYS = 2 * 365
MAX_RESULTS = 10
MAX_REASONS = 5  # shown per person, the strongest first; the others are counted
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
    """What a member asks about: a topic, or free words matched to topics and profiles.

    ``projects`` and ``direct_projects`` are querysets of profile ids (subqueries for the
    sources, never lists of thousands of ids); ``project_ids`` and ``direct_project_ids``
    are the same as sets, read only when asked for."""

    topic: Topic | None = None
    text: str = ""
    topic_ids: set[int] = field(default_factory=set)
    projects: QuerySet | None = None
    direct_projects: QuerySet | None = None
    today: dt.date | None = None

    @cached_property
    def project_ids(self) -> set[int]:
        return set(self.projects) if self.projects is not None else set()

    @cached_property
    def direct_project_ids(self) -> set[int]:
        return set(self.direct_projects) if self.direct_projects is not None else set()

    @property
    def all_direct(self) -> bool:
        """A topic question: every profile found counts fully."""
        return self.topic is not None

    def relevance(self, project_id: int) -> float:
        return 1.0 if self.all_direct or project_id in self.direct_project_ids else INDIRECT

    def relevance_sql(self, prefix: str) -> Expression:
        """:meth:`relevance` as an expression over the profile joined at ``prefix``
        (e.g. ``"projectprofile__"``): the words are matched on the row itself."""
        if self.all_direct or not self.terms:
            return Value(1.0 if self.all_direct else INDIRECT)
        return Case(
            When(self.project_match(prefix), then=Value(1.0)),
            default=Value(INDIRECT),
            output_field=FloatField(),
        )

    def project_match(self, prefix: str = "") -> Q:
        """Profiles that contain one of the words in title, summary or description."""
        match = Q()
        for term in self.terms:
            for name in ("title", "summary", "description"):
                match |= Q(**{f"{prefix}{name}__icontains": term})
        return match

    @property
    def terms(self) -> list[str]:
        words = re.findall(r"\w+", self.text.lower())
        return [word for word in words if len(word) >= 4][:10]


@dataclass
class Expert:
    contact: Contact
    score: float
    reasons: list[str]
    more_reasons: int = 0


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
    ids = ProjectProfile.objects.for_members().order_by().values("pk")
    if topic is not None:
        question.topic_ids = {topic.pk}
        question.projects = question.direct_projects = ids.filter(topics=topic)
        return question
    terms = question.terms
    if not terms:
        return question
    topic_match = Q()
    for term in terms:
        topic_match |= Q(name__icontains=term) | Q(description__icontains=term)
    topic_ids = set(Topic.objects.filter(topic_match, is_active=True).values_list("pk", flat=True))
    matched = ids.filter(question.project_match())
    through = ProjectProfile.topics.through.objects
    on_topic = through.filter(projectprofile_id=OuterRef("pk"), topic_id__in=topic_ids)
    question.direct_projects = matched
    question.projects = ids.filter(question.project_match() | Q(Exists(on_topic)))
    question.topic_ids = topic_ids | set(
        through.filter(projectprofile_id__in=matched)
        .order_by()
        .values_list("topic_id", flat=True)
        .distinct()
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


def evidence_tally(
    question: Question, rows: QuerySet, *, contact, weight, when, fields, word
) -> Tally:
    """A source's evidence summed in the database (:func:`projects.tally.tally`)."""
    return tally(
        rows,
        contact=contact,
        weight=weight,
        when=when,
        fields=fields,
        today=question.today or timezone.localdate(),
        half_life=HALF_LIFE_DAYS,
        keep=MAX_REASONS,
        word=word,
    )


def _stage_factor() -> Case:
    return Case(
        *(When(projectprofile__stage=stage, then=Value(f)) for stage, f in STAGE_FACTOR.items()),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _project_evidence(question: Question, contacts: dict[int, Contact]) -> list[Tally]:
    """Lead and partner roles in the question's profiles, and confirmed reuse of them."""
    if question.projects is None:
        return []
    partner = ProjectProfile.partner_municipalities.through.objects.filter(
        projectprofile_id=OuterRef("projectprofile_id"),
        municipality_id=OuterRef("contact__municipality_id"),
    )
    lead = Q(contact__municipality_id=F("projectprofile__municipality_id"))
    roles = (
        ProjectProfile.contacts.through.objects.filter(
            projectprofile_id__in=question.projects, contact_id__in=list(contacts)
        )
        .annotate(ask_partner=Exists(partner))
        .filter(lead | Q(ask_partner=True))
    )
    role = Case(When(lead, then=Value(LEAD)), default=Value(PARTNER), output_field=FloatField())
    updated = TruncDate("projectprofile__updated_at", tzinfo=dt.UTC)
    partner_format = _("partner in “%(title)s” of %(municipality)s")

    def word_role(row: dict) -> Evidence:
        if contacts[row["ask_contact"]].municipality_id == row["projectprofile__municipality_id"]:
            project = _Led(  # what _lead_reason reads, without building a model instance
                title=row["projectprofile__title"],
                stage=row["projectprofile__stage"],
                start=row["projectprofile__start"],
                end=row["projectprofile__end"],
            )
            reason = _lead_reason(project)
        else:
            reason = partner_format % {
                "title": row["projectprofile__title"],
                "municipality": row["projectprofile__municipality__name"],
            }
        return Evidence(row["ask_contact"], row["ask_weight"], reason, row["ask_when"])

    found = [
        evidence_tally(
            question,
            roles,
            contact=F("contact_id"),
            weight=role * _stage_factor() * question.relevance_sql("projectprofile__"),
            when=Coalesce("projectprofile__end", updated, output_field=DateField()),
            fields=(
                "projectprofile__title",
                "projectprofile__stage",
                "projectprofile__start",
                "projectprofile__end",
                "projectprofile__municipality_id",
                "projectprofile__municipality__name",
            ),
            word=word_role,
        )
    ]
    reuses = Reuse.objects.filter(
        project_id__in=question.projects,
        contact_id__in=list(contacts),
        confirmation=Reuse.Confirmation.CONFIRMED,
    )
    reuse_format = _("their municipality took up “%(title)s” from %(municipality)s (%(stage)s)")
    stages = dict(Reuse.Stage.choices)

    def word_reuse(row: dict) -> Evidence:
        reason = reuse_format % {
            "title": row["project__title"],
            "municipality": row["project__municipality__name"],
            "stage": stages.get(row["stage"], row["stage"]),
        }
        return Evidence(row["ask_contact"], row["ask_weight"], reason, row["ask_when"])

    found.append(
        evidence_tally(
            question,
            reuses,
            contact=F("contact_id"),
            weight=Value(REUSER) * question.relevance_sql("project__"),
            when=F("date"),
            fields=("project__title", "project__municipality__name", "stage"),
            word=word_reuse,
        )
    )
    return found


@dataclass(frozen=True)
class _Led:
    """A led profile as :func:`_lead_reason` reads it (a row of the roles' tally)."""

    title: str
    stage: str
    start: dt.date | None
    end: dt.date | None

    def get_stage_display(self) -> str:
        return str(_STAGES.get(self.stage, self.stage))


_STAGES = dict(ProjectProfile.Stage.choices)


def _lead_reason(project: ProjectProfile | _Led) -> str:
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


EvidenceSource = Callable[..., "Tally | list[Evidence]"]
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


def _as_tally(evidence: list[Evidence], *, today: dt.date) -> Tally:
    """Evidence a source gave as a list (the old protocol), summed in Python."""
    result = Tally()
    for item in evidence:
        value = item.weight * recency(item.when, today=today)
        result.totals[item.contact_id] = result.totals.get(item.contact_id, 0.0) + value
        result.counts[item.contact_id] = result.counts.get(item.contact_id, 0) + 1
    result.evidence = list(evidence)
    return result


def rank(question: Question, *, asker=None, now=None) -> list[Expert]:
    """The consenting, uncapped contacts with evidence, best first, each with its reasons
    (the ``MAX_REASONS`` strongest; ``more_reasons`` counts the others)."""
    contacts = consenting_contacts(question)
    own = contact_of(asker) if asker is not None else None
    if own is not None:
        contacts.pop(own.pk, None)
    if asker is not None:
        for pk in capped_out(contacts.values(), asker=asker, now=now):
            contacts.pop(pk, None)
    if not contacts:
        return []
    today = timezone.localdate(now) if now else timezone.localdate()
    question = replace(question, today=today)
    tallies = _project_evidence(question, contacts)
    for source in other_sources():
        found = source(question=question, contacts=contacts)
        tallies.append(found if isinstance(found, Tally) else _as_tally(found, today=today))
    tallies.append(_as_tally(_municipality_topic_evidence(question, contacts), today=today))
    scores: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for found in tallies:
        for pk, total in found.totals.items():
            if pk in contacts:  # a source must not widen the circle of people who agreed
                scores[pk] += total
                counts[pk] += found.counts.get(pk, 0)
    # people with nothing but their municipality's interest are not experts
    ranked = sorted(
        (pk for pk, score in scores.items() if score > MUNICIPALITY_TOPIC),
        key=lambda pk: (
            -round(scores[pk], 4),
            contacts[pk].last_name,
            contacts[pk].first_name,
        ),
    )[:MAX_RESULTS]
    reasons: dict[int, list[tuple[float, Callable[[], str]]]] = defaultdict(list)
    for found in tallies:  # worded only for the people shown, and only the strongest
        for contact_id, weight, when, reason in found.candidates_for(set(ranked)):
            reasons[contact_id].append((weight * recency(when, today=today), reason))
    experts = []
    for pk in ranked:
        strongest = sorted(reasons[pk], key=lambda r: -r[0])[:MAX_REASONS]
        experts.append(
            Expert(
                contact=contacts[pk],
                score=round(scores[pk], 4),
                reasons=[reason() for _value, reason in strongest],
                more_reasons=max(0, counts[pk] - len(strongest)),
            )
        )
    return experts
