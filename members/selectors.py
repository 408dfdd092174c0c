"""Reads that several places share (views, admin, services)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Contact


def contact_audience(
    *,
    municipalities: Iterable | None = None,
    topics: Iterable | None = None,
    topics_via_municipality: bool = False,
    primary_only: bool = False,
    kinds: Iterable[str] | None = None,
    districts: Iterable[str] | None = None,
    contacts: Iterable | None = None,
) -> QuerySet[Contact]:
    """The active contact persons of member municipalities a mailing goes to.

    Each argument narrows the audience; ``None`` leaves it out, an empty collection leaves
    nobody. ``topics`` keeps the contacts interested in one of them (with
    ``topics_via_municipality`` also those whose municipality is). Municipalities, topics and
    contacts may be given as objects, ids or querysets.
    """
    audience = Contact.objects.active()
    if municipalities is not None:
        audience = audience.filter(municipality__in=municipalities)
    if primary_only:
        audience = audience.filter(is_primary=True)
    if kinds is not None:
        audience = audience.filter(municipality__kind__in=kinds)
    if districts is not None:
        audience = audience.filter(municipality__district__in=districts)
    if topics is not None:
        interested = Q(topics__in=topics)
        if topics_via_municipality:
            interested |= Q(municipality__topics__in=topics)
        audience = audience.filter(pk__in=Contact.objects.filter(interested).values("pk"))
    if contacts is not None:
        audience = audience.filter(pk__in=contacts)
    return audience


@dataclass
class MunicipalityAnswer:
    """What the contacts of one municipality answered to a circular's question."""

    name: str
    recipients: int = 0
    answered: int = 0
    answers: Counter = field(default_factory=Counter)  # label -> number of contacts

    @property
    def is_conflicting(self) -> bool:
        return len(self.answers) > 1

    @property
    def labels(self) -> list[str]:
        return sorted(self.answers)

    @property
    def answer_counts(self) -> list[tuple[str, int]]:
        """(label, number of contacts), for templates (a Counter answers any lookup with 0)."""
        return sorted(self.answers.items())


@dataclass
class AnswersByMunicipality:
    rows: list[MunicipalityAnswer]
    counts: list[dict]  # per fixed answer: label, municipalities giving it
    conflicting: int
    unanswered: int

    @property
    def total(self) -> int:
        return len(self.rows)


def answers_by_municipality(*, circular) -> AnswersByMunicipality:
    """The answers of a circular per municipality: a municipality answers once, whoever of
    its contacts replied; two contacts with different answers are shown as a conflict."""
    labels = dict(circular.answer_options())
    rows: dict[int, MunicipalityAnswer] = {}
    per_contact = (
        circular.recipients.values("contact__municipality_id", "contact__municipality__name")
        .annotate(
            recipients=Count("pk"),
            answered=Count("pk", filter=~Q(answer="")),
        )
        .order_by("contact__municipality__name")
    )
    for row in per_contact:
        rows[row["contact__municipality_id"]] = MunicipalityAnswer(
            name=row["contact__municipality__name"],
            recipients=row["recipients"],
            answered=row["answered"],
        )
    given = (
        circular.recipients.exclude(answer="")
        .values("contact__municipality_id", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in given:
        label = labels.get(row["answer"], row["answer"])
        rows[row["contact__municipality_id"]].answers[label] = row["n"]
    ordered = list(rows.values())
    by_answer = Counter(label for row in ordered for label in row.answers)
    counts = [{"label": label, "count": by_answer.get(label, 0)} for label in labels.values()]
    counts.append(
        {"label": _("no answer yet"), "count": sum(1 for row in ordered if not row.answers)}
    )
    return AnswersByMunicipality(
        rows=ordered,
        counts=counts,
        conflicting=sum(1 for row in ordered if row.is_conflicting),
        unanswered=counts[-1]["count"],
    )
