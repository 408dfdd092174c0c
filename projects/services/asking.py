"""Whom to ask (*Wen fragen?*): consent per topic and the ranked suggestions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Contact, Topic
from members.permissions import contact_of, is_coordinator

from .. import expertise
from ..expertise import Expert
from ..models import (
    AskConsent,
    Suggestion,
)
from .profiles import ProjectError


def set_ask_consent(
    *, contact: Contact, by, topics: Iterable[Topic], monthly_cap: int | None
) -> AskConsent | None:
    """A contact person agrees (or stops agreeing) to be suggested on these topics.

    Only the person decides this for themselves. No topics: the consent is withdrawn."""
    own = contact_of(by)
    if own is None or own.pk != contact.pk:
        raise ProjectError(_("Only the person themselves can agree to be asked."))
    topics = list(topics)
    if monthly_cap is not None and not 1 <= monthly_cap <= 100:
        raise ProjectError(_("Please give a number between 1 and 100."), field="monthly_cap")
    with transaction.atomic():
        if not topics:
            AskConsent.objects.filter(contact=contact).delete()
            return None
        consent, _created = AskConsent.objects.update_or_create(
            contact=contact, defaults={"monthly_cap": monthly_cap}
        )
        consent.topics.set(topics)
    return consent


def suggest_experts(*, by, topic: Topic | None = None, text: str = "") -> list[Expert]:
    """Rank whom ``by`` could ask, and count the suggestions for the contacts' monthly caps."""
    if contact_of(by) is None and not is_coordinator(by):
        raise ProjectError(_("Only members of the network can ask."))
    question = expertise.understand(topic=topic, text=text)
    if topic is None and not question.terms:
        raise ProjectError(
            _("Please choose a topic or type a few words (at least four letters)."), field="text"
        )
    with transaction.atomic():
        experts = expertise.rank(question, asker=by)
        Suggestion.objects.bulk_create(
            [Suggestion(contact=expert.contact, asked_by=by) for expert in experts]
        )
    return experts
