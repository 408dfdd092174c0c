"""GDPR: export and anonymisation of everything stored about one person.

Every app that stores personal data has a ``<app>/privacy.py`` with

    COVERS = {"news.Post": "author: kept on published posts, shown as 'former member'"}

    def export(subject) -> dict:          # JSON-able data about the person
        ...

    def anonymise(subject, *, by) -> None:  # inside the caller's transaction
        ...

``COVERS`` names every model of the app that refers to a user or a contact person or holds
an e-mail address (a test fails for a model nobody covers). This module collects the apps'
modules and handles what belongs to the framework: outgoing mail, sessions, allauth's
e-mail addresses and second factors, the admin's log and the audit trail.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
        from members.models import Contact

        contact = Contact.objects.filter(user=user).first()
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


def privacy_modules() -> list:
    modules = [importlib.import_module("ikone.privacy_core")]
    for config in apps.get_app_configs():
        if config.name in settings.LOCAL_APPS and config.name != "ikone":
            try:
                modules.append(importlib.import_module(f"{config.name}.privacy"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.privacy":
                    raise
    return modules


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
    for module in privacy_modules():
        label = module.__name__.rsplit(".", 1)[0]
        data[label] = module.export(subject)
    return data


def anonymise_subject(subject: Subject, *, by) -> Subject:
    """Remove the person from every app; keeps aggregates and published content."""
    from . import audit

    # No field-by-field audit entries while the data is removed: they would keep the old
    # values. The apps record one entry per changed record themselves.
    with transaction.atomic(), audit.acting(None):
        # Apps first (they still find the person by e-mail), the framework last.
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

    A plain ``update()`` while :func:`anonymise_subject` keeps the audit trail from acting,
    so no entry keeps the removed values.
    """
    from . import audit

    type(obj)._default_manager.filter(pk=obj.pk).update(**changed)
    for name, value in changed.items():
        setattr(obj, name, value)  # the entry's description is made from these
    audit.record(action="action", obj=obj, message="personal data removed (GDPR request)", actor=by)


def mentions(fields: Iterable[str], subject: Subject) -> Q | None:
    """Rows whose ``fields`` contain one of the person's addresses or names (any case)."""
    query = Q()
    for value in {*subject.emails, *subject.names}:
        if value:
            for name in fields:
                query |= Q(**{f"{name}__icontains": value})
    return query or None
