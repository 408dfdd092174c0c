"""Interest polls feed the next step: a circular's reply question ("would you take part in a
workshop in Ingelheim?") becomes, with one click, a draft meeting whose invitation list is the
municipalities that gave the chosen answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.errors import DomainError
from meetings.models import Meeting
from meetings.services import scheduling
from members.models import Municipality

from .models import Circular, CircularRecipient

WEEKS_AHEAD = 6


class InterestPollError(DomainError):
    """The circular's answers cannot become a meeting."""


@dataclass
class AnswerGroup:
    value: str
    label: str
    municipalities: list[Municipality] = field(default_factory=list)


def answers_by_municipality(circular: Circular) -> list[AnswerGroup]:
    """Per fixed answer, the member municipalities whose contacts gave it (one query)."""
    groups = {value: AnswerGroup(value, str(label)) for value, label in circular.answer_options()}
    seen: set[tuple[str, int]] = set()
    recipients = (
        CircularRecipient.objects.filter(circular=circular)
        .exclude(answer="")
        .select_related("contact__municipality")
        .order_by("contact__municipality__name")
    )
    for recipient in recipients:
        municipality = recipient.contact.municipality
        group = groups.get(recipient.answer)
        if group is None or (recipient.answer, municipality.pk) in seen:
            continue
        seen.add((recipient.answer, municipality.pk))
        group.municipalities.append(municipality)
    return list(groups.values())


def polls():
    """Sent circulars with a reply question, newest first."""
    return (
        Circular.objects.filter(status=Circular.Status.SENT)
        .exclude(question="")
        .exclude(answer_choices="")
        .order_by("-sent_at", "-pk")
    )


def meeting_from_circular(*, circular: Circular, answer: str, by) -> Meeting:
    """A draft meeting, six weeks ahead, inviting the municipalities that gave ``answer``."""
    if not circular.has_question or circular.status != Circular.Status.SENT:
        raise InterestPollError(
            _("Only a sent circular with a reply question can become a meeting.")
        )
    groups = {group.value: group for group in answers_by_municipality(circular)}
    if answer not in groups:
        raise InterestPollError(_("This circular has no such answer."))
    municipalities = groups[answer].municipalities
    if not municipalities:
        raise InterestPollError(_("No municipality gave this answer yet."))
    day = timezone.localdate() + timedelta(weeks=WEEKS_AHEAD)
    start = timezone.make_aware(datetime.combine(day, time(10)), timezone.get_current_timezone())
    with transaction.atomic():
        meeting = scheduling.save_meeting(
            meeting=Meeting(
                kind=Meeting.Kind.WORKSHOP_DAY,
                title=circular.subject[:200],
                start=start,
                end=start + timedelta(hours=4),
                status=Meeting.Status.DRAFT,
                format=Meeting.Format.ON_SITE,
                description=_("Follows up the circular “%(subject)s”: %(question)s → %(answer)s")
                % {
                    "subject": circular.subject,
                    "question": circular.question,
                    "answer": groups[answer].label,
                },
            )
        )
        meeting.invited_municipalities.set(municipalities)
        audit.record(
            action=AuditAction.MEETING_FROM_POLL,
            obj=meeting,
            by=by,
            data={"circular": circular.pk, "answer": answer, "municipalities": len(municipalities)},
        )
        return meeting
