"""A recipient's answer to the circular's question."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CircularRecipient
from .errors import CircularError


def answer_circular(
    *, recipient: CircularRecipient, answer: str, comment: str = "", now: datetime | None = None
) -> CircularRecipient:
    """Record (or change) a recipient's answer until the circular closes."""
    now = now or timezone.now()
    circular = recipient.circular
    if not circular.has_question:
        raise CircularError(_("This circular letter does not ask for an answer."))
    if circular.closes_at is not None and now >= circular.closes_at:
        raise CircularError(
            _("Answers to this circular letter closed on %(date)s.")
            % {"date": timezone.localtime(circular.closes_at).strftime("%d.%m.%Y %H:%M")}
        )
    if answer not in dict(circular.answer_options()):
        raise CircularError(_("Please choose one of the given answers."), field="answer")
    comment = (comment or "").strip()[:2000] if circular.allow_comment else ""
    with transaction.atomic():
        locked = CircularRecipient.objects.select_for_update().get(pk=recipient.pk)
        locked.answer = answer
        locked.comment = comment
        locked.answered_at = now
        locked.save(update_fields=["answer", "comment", "answered_at"])
    recipient.answer, recipient.comment, recipient.answered_at = answer, comment, now
    return recipient
