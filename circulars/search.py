"""The circulars' part of the portal search: letters sent to the member (all, for coordinators).

The same letters as the archive ``/bereich/rundschreiben/``; visitors find none.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikone import search
from members.permissions import contact_of

from . import permissions, selectors
from .models import Circular


def circular_documents(circulars: Iterable[Circular]) -> Iterable[search.Document]:
    for circular in circulars:
        yield search.Document(
            object_id=circular.pk,
            title=circular.subject,
            url=reverse("circulars:detail", kwargs={"pk": circular.pk}),
            date=circular.sent_at or circular.created_at,
            lead=circular.question,
            body=circular.body,
            audience=search.PERSONAL,
        )


def circulars_for(user) -> QuerySet:
    """The archive's letters: those sent to the member, every sent one for coordinators."""
    if not permissions.can_read_archive(user):
        return Circular.objects.none()
    return selectors.circulars_sent_to(
        contact_of(user), everything=permissions.sees_every_circular(user)
    )


def narrow_circulars(*, topic=None, municipality=None) -> QuerySet:
    circulars = Circular.objects.all()
    if topic is not None:
        circulars = circulars.filter(topics=topic)
    if municipality is not None:
        circulars = circulars.filter(recipients__contact__municipality=municipality)
    return circulars


def register() -> None:
    search.register(
        search.Source(
            kind="circular",
            label=_("Circular letters"),
            model=Circular,
            documents=circular_documents,
            narrow=narrow_circulars,
            personal=circulars_for,
            order=60,
        )
    )
