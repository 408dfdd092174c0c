"""GDPR: export and anonymisation of everything stored about one person.

Every app that stores personal data has a ``<app>/privacy.py`` with

    COVERS = {"news.Post": "author: kept on published posts, shown as 'former member'"}

    def export(subject) -> dict:          # JSON-able data about the person
        ...

    def anonymise(subject, *, by) -> None:  # inside the caller's transaction
        ...

``COVERS`` names every model of the app that refers to a user or a contact person or holds
an e-mail address (a test fails for a model nobody covers).

This module is the framework and imports no app: it only talks to its registry. The
project package fills it in ``IkoneConfig.ready()``: :func:`register` for the framework's own
provider (``ikone.privacy_core``) and every installed app's ``privacy`` module, and
:func:`register_contact_lookup` for how a login's contact record is found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ikone.outbox import services as outbox

from . import audit

log = logging.getLogger("ikone.privacy")

ANONYMOUS_DOMAIN = "anonymised.invalid"


@dataclass
class Subject:
    """The person: their login (if any), contact record (if any) and e-mail addresses."""

    user: Any = None
    contact: Any = None
    emails: set[str] = field(default_factory=set)

    @classmethod
    def for_contact(cls, contact) -> Subject:
        emails = {contact.email.lower()}
        if contact.user_id:
            emails.add(contact.user.email.lower())
        return cls(user=contact.user, contact=contact, emails=emails)

    @classmethod
    def for_user(cls, user) -> Subject:
        contact = _contact_lookup(user) if _contact_lookup is not None else None
        if contact is not None:
            return cls.for_contact(contact)
        return cls(user=user, emails={user.email.lower()})

    @property
    def placeholder_email(self) -> str:
        key = self.contact.pk if self.contact is not None else f"u{self.user.pk}"
        return f"anonymised-{key}@{ANONYMOUS_DOMAIN}"

    @property
    def names(self) -> set[str]:
        """Name strings to scrub from free-text records (logs, audit entries)."""
        people = [p for p in (self.contact, self.user) if p is not None]
        names = {f"{p.first_name} {p.last_name}".strip() for p in people}
        return {n for n in names if n}


_providers: dict[str, ModuleType] = {}
_contact_lookup: Callable[[Any], Any] | None = None


def register(provider: ModuleType, *, label: str | None = None) -> ModuleType:
    """Add a provider (a module with ``COVERS``, ``export`` and ``anonymise``).

    ``label`` is its key in the export, by default its package (``members.privacy`` →
    ``members``). Registering the same label again replaces the provider.
    """
    _providers[label or provider.__name__.rsplit(".", 1)[0]] = provider
    return provider


def register_contact_lookup(lookup: Callable[[Any], Any]) -> None:
    """``lookup(user)`` returns the contact record of a login, or None."""
    global _contact_lookup
    _contact_lookup = lookup


def privacy_modules() -> list[ModuleType]:
    """The registered providers, in the order they were registered."""
    return list(_providers.values())


def covered_models() -> dict[str, str]:
    covered: dict[str, str] = {}
    for module in privacy_modules():
        covered.update(module.COVERS)
    return covered


def export_subject(subject: Subject) -> dict:
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "emails": sorted(subject.emails),
    }
    for label, module in _providers.items():
        data[label] = module.export(subject)
    return data


def anonymise_subject(subject: Subject, *, by) -> Subject:
    """Remove the person from every app; keeps aggregates and published content."""
    # No field-by-field audit entries while the data is removed: they would keep the old
    # values. The apps record one entry per changed record themselves.
    with transaction.atomic(), audit.acting(None):
        # Apps first (they still find the person by e-mail), the framework (registered
        # first) last.
        for module in reversed(privacy_modules()):
            module.anonymise(subject, by=by)
    log.info("anonymised: contact=%s by=%s", getattr(subject.contact, "pk", "-"), by.pk)
    return subject


def scrub(text: str, subject: Subject, replacement: str = "[anonymised]") -> str:
    """``text`` with the person's e-mail addresses and names replaced, in any letter case."""
    values = sorted((v for v in {*subject.emails, *subject.names} if v), key=len, reverse=True)
    if not values:
        return text
    pattern = re.compile("|".join(re.escape(value) for value in values), re.IGNORECASE)
    return pattern.sub(lambda _match: replacement, text)


def scrubbed_fields(obj: Any, fields: Iterable[str], subject: Subject) -> dict[str, str]:
    """The ``fields`` of ``obj`` that name the person, with the person removed."""
    changed = {}
    for name in fields:
        value = getattr(obj, name)
        cleaned = scrub(value, subject)
        if cleaned != value:
            changed[name] = cleaned
    return changed


def rewrite(obj: Any, changed: dict[str, Any], *, by) -> None:
    """Store ``changed`` on ``obj`` and leave one audit entry saying why.

    A plain ``update()`` leaves no field history (and :func:`anonymise_subject` keeps the
    audit trail from acting), so no entry keeps the removed values.
    """
    type(obj)._default_manager.filter(pk=obj.pk).update(**changed)
    for name, value in changed.items():
        setattr(obj, name, value)  # the entry's description is made from these
    audit.record(
        action=audit.AuditAction.PERSONAL_DATA_REMOVED,
        obj=obj,
        by=by,
        data={"fields": sorted(changed)},
    )


def mentions(fields: Iterable[str], subject: Subject) -> Q | None:
    """Rows whose ``fields`` contain one of the person's addresses or names (any case)."""
    query = Q()
    for value in {*subject.emails, *subject.names}:
        if value:
            for name in fields:
                query |= Q(**{f"{name}__icontains": value})
    return query or None


def request_deletion(*, by) -> int:
    """The person ``by`` asks the coordination team to anonymise them: one mail to each
    active coordinator (they keep the network's records, so a person cannot delete
    themselves). Returns how many mails were queued."""
    subject = Subject.for_user(by)
    coordinators = get_user_model().objects.filter(is_staff=True, is_active=True)
    admin_url = settings.SITE_URL + reverse(settings.IKONE_PRIVACY_ADMIN_URL_NAME)
    with transaction.atomic():
        for coordinator in coordinators:
            outbox.queue_email(
                to=coordinator.email,
                template="privacy/deletion_requested",
                context={"user": by, "contact": subject.contact, "admin_url": admin_url},
                reference=f"privacy:deletion:{by.pk}",
            )
    return len(coordinators)
