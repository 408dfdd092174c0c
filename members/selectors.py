"""Reads that several places share (views, admin, services)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _


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
