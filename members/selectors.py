"""Reads that several places share (views, admin, services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

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
