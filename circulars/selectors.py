"""Reads of circular letters that the admin, the pages, the cockpit and the services share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone.outbox.models import OutboundEmail
from members.models import Contact
from members.selectors import contact_audience

from .models import Circular, CircularRecipient

VISIBLE_STATUSES = (Circular.Status.SENDING, Circular.Status.SENT)


def circular_audience(circular: Circular) -> QuerySet[Contact]:
    """Active contacts of member municipalities the circular goes to (an ordered queryset).

    The circular's audience setting mapped onto the network's one audience query.
    """
    audience = circular.audience
    narrowing: dict = {}
    if audience == Circular.Audience.PRIMARY:
        narrowing = {"primary_only": True}
    elif audience == Circular.Audience.KIND:
        narrowing = {"kinds": circular.kinds or []}
    elif audience == Circular.Audience.DISTRICT:
        narrowing = {"districts": circular.districts or []}
    elif audience == Circular.Audience.TOPIC:
        narrowing = {
            "topics": list(circular.topics.values_list("pk", flat=True)),
            "topics_via_municipality": True,
        }
    elif audience == Circular.Audience.HANDPICKED:
        narrowing = {"contacts": circular.contacts.values("pk")}
    return contact_audience(**narrowing).select_related("municipality").order_by("pk")


def circulars_sent_to(contact: Contact | None, *, everything: bool = False) -> QuerySet[Circular]:
    """Circulars that went out to the contact (``everything``: to anyone, for coordinators)."""
    circulars = Circular.objects.filter(status__in=VISIBLE_STATUSES)
    if everything:
        return circulars
    if contact is None:
        return circulars.none()
    return circulars.filter(recipients__contact=contact)


def waiting_for_reply(contact: Contact) -> QuerySet[CircularRecipient]:
    """The contact's receipts of circulars whose question is unanswered and still open."""
    return (
        CircularRecipient.objects.filter(
            contact=contact, answer="", circular__status__in=VISIBLE_STATUSES
        )
        .exclude(circular__question="")
        .exclude(circular__answer_choices="")
        .filter(Q(circular__closes_at__isnull=True) | Q(circular__closes_at__gt=timezone.now()))
        .select_related("circular")
        .order_by("circular__closes_at", "-circular__sent_at")
    )


def circular_progress(*, circular: Circular) -> dict:
    """Counts of the circular's mail by delivery state (queued includes retries waiting)."""
    Status = OutboundEmail.Status
    rows = (
        CircularRecipient.objects.filter(circular=circular)
        .values("email__status")
        .annotate(n=Count("pk"))
    )
    by_status = {row["email__status"]: row["n"] for row in rows}
    queued = by_status.get(Status.PENDING, 0) + by_status.get(Status.SENDING, 0)
    return {
        "total": sum(by_status.values()),
        "queued": queued,
        "sent": by_status.get(Status.SENT, 0),
        "failed": by_status.get(Status.FAILED, 0),
        "done": queued == 0,
        "status": circular.status,
    }


def answer_counts(*, circular: Circular) -> list[dict]:
    """Per fixed answer: label and count, plus the recipients who have not answered."""
    counts = dict(
        circular.recipients.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
    )
    rows = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in circular.answer_options()
    ]
    rows.append({"value": "", "label": _("no answer yet"), "count": counts.get("", 0)})
    return rows


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
