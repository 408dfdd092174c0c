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

The evidence is kept ready in :mod:`projects.expertise_index` (roles and reuse from
``expertise_sources``; talks and posts from the apps this one must not import, which register
their index sources in ``AppConfig.ready()``); asking sums its rows per person in one query
and words only the strongest rows of the people shown. The municipality's topics of interest,
a few rows, are read at asking time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, JSONObject, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Contact, Municipality, Topic
from members.permissions import contact_of

from . import expertise_index
from .expertise_index import HALF_LIFE_DAYS, today_factor
from .models import ExpertiseItem, ProjectProfile, Suggestion

LEAD, TALK, PARTNER, POST, REUSER, MUNICIPALITY_TOPIC = 3.0, 2.0, 2.0, 1.5, 1.0, 0.5
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
# what ranking and the answer show of a person (the rest of three wide rows is not read)
ASKED_FIELDS = (
    "first_name",
    "last_name",
    "position",
    "email",
    "municipality__name",
    "municipality__slug",
    "ask_consent__monthly_cap",
)


@dataclass(frozen=True)
class Evidence:
    contact_id: int
    weight: float
    reason: str
    when: dt.date | None = None


@dataclass
class Question:
    """What a member asks about: a topic, or free words matched to topics and profiles.

    ``direct_projects`` are the published profiles the question is about directly: for a
    topic the profiles on it (a subquery), for own words those that contain one of the words.
    On PostgreSQL the words are matched once per question and the profiles' ids handed on as
    one array (``= ANY``), so the queries after it do not each scan every profile's words
    again; elsewhere they stay a subquery."""

    topic: Topic | None = None
    text: str = ""
    topic_ids: set[int] = field(default_factory=set)
    direct_projects: QuerySet | IdArray | None = None
    today: dt.date | None = None

    @property
    def all_direct(self) -> bool:
        """A topic question: every profile found counts fully."""
        return self.topic is not None

    def project_match(self, prefix: str = "") -> Q:
        """Profiles that contain one of the words in title, summary or description (their
        ``words``, kept in lower case: a plain LIKE, no case folding per row)."""
        match = Q()
        for term in self.terms:
            match |= Q(**{f"{prefix}words__contains": term})
        return match

    def is_direct(self, field_name: str) -> Q:
        """The rows whose profile (``field_name``, a profile id) is one of ``direct_projects``."""
        if isinstance(self.direct_projects, IdArray):
            return Q(AnyOf(F(field_name), self.direct_projects))
        return Q(**{f"{field_name}__in": self.direct_projects})

    @property
    def terms(self) -> list[str]:
        words = re.findall(r"\w+", self.text.lower())
        return [word for word in words if len(word) >= 4][:10]


@dataclass(frozen=True)
class IdArray:
    """Ids as one PostgreSQL array literal (``{1,2,3}``), written once per question: quoting
    thousands of integers one by one, or hashing a list of them each time the ORM compares
    expressions, would cost milliseconds on every query."""

    literal: str

    @classmethod
    def of_rows(cls, rows: QuerySet) -> IdArray:
        """The primary keys of ``rows``, written as the literal by the database itself."""
        literal = rows.aggregate(ids=Cast(ArrayAgg("pk", default=Value([])), TextField()))
        return cls(literal["ids"])


class AnyOf(Lookup):
    """``field = ANY(%s)`` with the ids as one array parameter (PostgreSQL): no placeholder per
    id to compile, and the database hashes the array once per query.

    The array is cast to the field's type: an array of another integer type would be searched
    element by element (PostgreSQL hashes only a comparison of equal types). The comparison
    is wrapped in a ``CASE`` so that the planner does not estimate the selectivity of each of
    the thousands of ids (~1 µs each, on every query); it guesses instead, as it does for any
    expression it cannot see into. A NULL field is not in the array (false, not NULL). The
    right-hand side is an :class:`IdArray`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array = f"%s::{self.lhs.output_field.db_type(connection)}[]"
        return f"CASE WHEN {lhs} = ANY({array}) THEN true ELSE false END", [
            *params,
            self.rhs.literal,
        ]


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
    if connection.vendor == "postgresql":
        matched = IdArray.of_rows(matched)
    question.direct_projects = matched
    through = ProjectProfile.topics.through.objects
    question.topic_ids = topic_ids | set(
        through.filter(question.is_direct("projectprofile_id"))
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
        .only(*ASKED_FIELDS)
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


@dataclass
class _Indexed:
    """The indexed evidence of a question: totals and counts per contact, and the rows the
    strongest reasons come from (read only for the people shown)."""

    question: Question
    rows: QuerySet
    classes: list[tuple[Q, float]]  # (condition, relevance): the rows of each weigh alike
    totals: dict[int, float] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    per_class: dict[int, list[int]] = field(default_factory=dict)  # rows of each class

    def classes_of(self, contacts: set[int]) -> list[int]:
        """The numbers of the classes in which any of ``contacts`` has rows."""
        if len(self.classes) == 1:
            return [0]
        return [
            number
            for number in range(len(self.classes))
            if any(self.per_class.get(pk, [0] * len(self.classes))[number] for pk in contacts)
        ]

    @property
    def relevance(self) -> Expression:
        if len(self.classes) == 1:
            return Value(self.classes[0][1], output_field=FloatField())
        *others, (_condition, last) = self.classes  # the classes cover every row
        return Case(
            *(When(condition, then=Value(relevance)) for condition, relevance in others),
            default=Value(last),
            output_field=FloatField(),
        )

    def strongest(self, contacts: set[int]) -> list[dict]:
        """Up to ``MAX_REASONS`` rows per contact, the strongest (strength × relevance) first:
        ``kind``, ``object_id``, ``contact_id``, ``weight`` (times the relevance) and ``when``."""
        if not contacts:
            return []
        if connection.vendor == "postgresql":
            return self._strongest_of_each_class(contacts)
        return self._strongest_in_a_window(contacts)

    def _strongest_of_each_class(self, contacts: set[int]) -> list[dict]:
        """PostgreSQL: the rows of a class weigh alike, so a person's strongest rows are among
        the ``MAX_REASONS`` of greatest strength in each class: per person and class a few
        rows read along the index on (contact, −strength), instead of ordering every row of
        the people shown (all of them, when a question's words are in every profile)."""
        fields = {name: name for name in ("kind", "object_id", "weight", "when", "strength")}
        per_class = {}
        used = self.classes_of(contacts)
        for number, (condition, _relevance) in enumerate(self.classes):
            if number not in used:
                continue
            top = (
                self.rows.filter(condition, contact_id=OuterRef("pk"))
                .order_by("-strength", "-pk")
                .values(item=JSONObject(id="pk", **fields))[:MAX_REASONS]
            )
            per_class[f"ask_class_{number}"] = ArraySubquery(top)
        found = []
        for person in Contact.objects.filter(pk__in=contacts).order_by().values("pk", **per_class):
            candidates = [
                (item["strength"] * relevance, item["id"], relevance, item)
                for number, (_condition, relevance) in enumerate(self.classes)
                if number in used
                for item in person[f"ask_class_{number}"]
            ]
            candidates.sort(key=lambda candidate: (-candidate[0], -candidate[1]))
            for _value, _id, relevance, item in candidates[:MAX_REASONS]:
                when = item["when"]
                found.append(
                    {
                        "contact_id": person["pk"],
                        "kind": item["kind"],
                        "object_id": item["object_id"],
                        "weight": item["weight"] * relevance,
                        "when": dt.date.fromisoformat(when) if when else None,
                    }
                )
        return found

    def _strongest_in_a_window(self, contacts: set[int]) -> list[dict]:
        """One window over the rows of the people shown: the conditions (for own words the
        profiles the words found) are evaluated once, not once per person."""
        fields = ("contact_id", "kind", "object_id", "weight", "when", "relevance")
        per_contact = Window(
            RowNumber(),
            partition_by=[F("contact_id")],
            order_by=[(F("strength") * F("relevance")).desc(), F("pk").desc()],
        )
        found = (
            self.rows.filter(contact_id__in=contacts)
            .annotate(relevance=self.relevance)
            .annotate(ask_rank=per_contact)
            .filter(ask_rank__lte=MAX_REASONS)
            .order_by()
            .values(*fields)
        )
        return [{**row, "weight": row["weight"] * row["relevance"]} for row in found]


def _indexed_evidence(question: Question, contacts: dict[int, Contact], *, now) -> _Indexed:
    """The evidence kept in :mod:`projects.expertise_index` (roles, reuse, talks, posts …),
    summed per contact in one query: items on the question's topics, and for a question in
    own words the roles and reuse of the profiles it found (those without its words
    weighing less)."""
    rows = ExpertiseItem.objects.filter(contact_id__in=list(contacts)).filter(
        Q(counts_from__isnull=True) | Q(counts_from__lte=now)
    )
    on_topic = Q(
        Exists(
            ExpertiseItem.topics.through.objects.filter(
                expertiseitem_id=OuterRef("pk"), topic_id__in=question.topic_ids
            )
        )
    )
    classes: list[tuple[Q, float]] = [(Q(), 1.0)]
    if question.all_direct:
        rows = rows.filter(on_topic)
    else:
        # The index holds rows only for published profiles, on the profile's topics: a role
        # or reuse is about the question when its profile contains the words or is on one
        # of the question's topics, as are talks and posts on those topics.
        if question.direct_projects is not None:
            direct = question.is_direct("project_id")
            rows = rows.filter(direct | on_topic)  # the array first: cheaper than EXISTS
            if question.terms:
                classes = [
                    (Q(project__isnull=True) | direct, 1.0),
                    (Q(project__isnull=False) & ~direct, INDIRECT),
                ]
        else:
            rows = rows.filter(on_topic)
    found = _Indexed(question=question, rows=rows, classes=classes)
    factor = today_factor(question.today or timezone.localdate())
    counted = {
        f"ask_class_{number}": Count("pk", filter=condition)
        for number, (condition, _relevance) in enumerate(classes)
        if number  # the first class holds the rows the others do not
    }
    sums = (
        rows.order_by()
        .values("contact_id")
        .annotate(ask_total=Sum(F("strength") * found.relevance), ask_items=Count("pk"), **counted)
    )
    for row in sums:
        pk = row["contact_id"]
        found.totals[pk] = row["ask_total"] * factor
        found.counts[pk] = row["ask_items"]
        if counted:
            others = [row[name] for name in counted]
            found.per_class[pk] = [row["ask_items"] - sum(others), *others]
    return found


_STAGES = dict(ProjectProfile.Stage.choices)


def _lead_reason(project: ProjectProfile) -> str:
    values = {"title": project.title, "stage": _STAGES.get(project.stage, project.stage)}
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
        .order_by("topic__position")
        .values_list("municipality_id", "municipality__name", "topic__name")
    )
    wording = _("%(municipality)s counts %(topic)s among its topics")
    evidence = []
    for municipality_id, municipality, topic in rows:
        reason = wording % {"municipality": municipality, "topic": topic}
        for contact in by_municipality[municipality_id]:
            evidence.append(Evidence(contact.pk, MUNICIPALITY_TOPIC, reason, None))
    return evidence


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
    now = now or timezone.now()
    today = timezone.localdate(now)
    question = replace(question, today=today)
    indexed = _indexed_evidence(question, contacts, now=now)
    interest = _municipality_topic_evidence(question, contacts)
    scores: dict[int, float] = defaultdict(float, indexed.totals)
    counts: dict[int, int] = defaultdict(int, indexed.counts)
    for item in interest:
        scores[item.contact_id] += item.weight * recency(item.when, today=today)
        counts[item.contact_id] += 1
    # people with nothing but their municipality's interest are not experts
    ranked = sorted(
        (pk for pk, score in scores.items() if score > MUNICIPALITY_TOPIC),
        key=lambda pk: (
            -round(scores[pk], 4),
            contacts[pk].last_name,
            contacts[pk].first_name,
        ),
    )[:MAX_RESULTS]
    shown = set(ranked)
    # (value, reason): the reason's words, or the (kind, object id) of an indexed item
    reasons: dict[int, list[tuple[float, str | tuple[str, int]]]] = defaultdict(list)
    for row in indexed.strongest(shown):
        value = row["weight"] * recency(row["when"], today=today)
        reasons[row["contact_id"]].append((value, (row["kind"], row["object_id"])))
    for item in interest:
        if item.contact_id in shown:
            value = item.weight * recency(item.when, today=today)
            reasons[item.contact_id].append((value, item.reason))
    strongest = {pk: sorted(reasons[pk], key=lambda r: -r[0])[:MAX_REASONS] for pk in ranked}
    worded = _word_indexed(
        [key for found in strongest.values() for _value, key in found if isinstance(key, tuple)]
    )
    experts = []
    for pk in ranked:
        texts = [
            worded.get(reason, "") if isinstance(reason, tuple) else reason
            for _value, reason in strongest[pk]
        ]
        experts.append(
            Expert(
                contact=contacts[pk],
                score=round(scores[pk], 4),
                reasons=[text for text in texts if text],
                more_reasons=max(0, counts[pk] - len(strongest[pk])),
            )
        )
    return experts


def _word_indexed(keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The reasons of the indexed items shown, one query per kind of item."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        by_kind[kind].add(object_id)
    functions = expertise_index.reason_functions()
    worded = {}
    for kind, ids in by_kind.items():
        if kind in functions:
            for object_id, text in functions[kind](sorted(ids)).items():
                worded[(kind, object_id)] = text
    return worded
