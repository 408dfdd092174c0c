"""Reads of the catalogue shared by views, admin, the API and services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from members.models import Topic

from . import permissions
from .models import ProjectProfile

LISTING_FIELDS = (
    "municipality__name",
    "title",
    "slug",
    "summary",
    "stage",
    "visibility",
    "status",
    "published_at",
    "updated_at",
)


def project_list(*, user, topic=None, stage: str = "", municipality=None, q: str = "") -> QuerySet:
    """The profiles ``user`` may see, filtered, newest update first: the columns a card
    shows (the cards read the topics' names themselves, :func:`projects.cards.topic_names`)."""
    projects = (
        permissions.visible_projects(user)
        .for_listing()
        .prefetch_related(None)
        .only(*LISTING_FIELDS)
    )
    if topic is not None:
        projects = projects.filter(topics=topic)
    if stage:
        projects = projects.filter(stage=stage)
    if municipality is not None:
        projects = projects.filter(
            Q(municipality=municipality) | Q(partner_municipalities=municipality)
        )
    q = (q or "").strip()
    if q:
        projects = projects.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(description__icontains=q)
        )
    if topic is not None or municipality is not None:
        projects = projects.distinct()
    return projects


def topics_with_counts(*, user) -> list[Topic]:
    """The network's active topics in their order, each with ``project_count``: how many
    profiles on it ``user`` may open. One query, however many topics and profiles."""
    visible = permissions.visible_project_condition(user, prefix="projects__")
    return list(
        Topic.objects.filter(is_active=True)
        .annotate(project_count=Count("projects", filter=visible, distinct=True))
        .only("name", "slug", "description")
    )


def stale_projects(*, now=None) -> QuerySet:
    """Profiles not updated for longer than ``IKONE_PROJECT_STALE_DAYS``."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.IKONE_PROJECT_STALE_DAYS)
    return ProjectProfile.objects.for_members().filter(updated_at__lt=limit)


def due_for_reminder(*, now=None) -> QuerySet:
    """Stale profiles whose owners were not reminded since the profile went stale."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.IKONE_PROJECT_STALE_DAYS)
    return stale_projects(now=now).filter(Q(last_reminded_at=None) | Q(last_reminded_at__lt=limit))


def waiting_for_review() -> QuerySet:
    return ProjectProfile.objects.filter(status=ProjectProfile.Status.SUBMITTED)


MUNICIPALITY_LIMIT = 10  # per list on a municipality's page; the rest is counted


def projects_of_municipality(*, user, municipality, limit: int = MUNICIPALITY_LIMIT) -> dict:
    """A municipality's own profiles and those it is a partner in, as ``user`` may see
    them: the ``limit`` most recently updated of each (the columns a list shows) and how
    many there are in all."""
    visible = (
        permissions.visible_projects(user)
        .order_by("-updated_at", "-pk")
        .values("title", "slug", "stage", "municipality__name")
    )
    own, own_count = _first_and_count(visible.filter(municipality=municipality), limit)
    partner, partner_count = _first_and_count(
        visible.filter(partner_municipalities=municipality), limit
    )
    return {"own": own, "own_count": own_count, "partner": partner, "partner_count": partner_count}


def _first_and_count(rows: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` of ``rows`` and how many there are, in one query (the count as a
    window over all rows, which the database computes before the limit)."""
    found = list(rows.annotate(_total=Window(Count("pk")))[:limit])
    return found, found[0]["_total"] if found else 0


def _visible_reuses(user, reuses: QuerySet) -> QuerySet:
    """Public: confirmed reuse of public profiles. Members: all but declined records (those
    only the two municipalities and the coordinators see)."""
    from members.permissions import contact_of, is_coordinator

    from .models import Reuse

    reuses = reuses.filter(permissions.visible_project_condition(user, "project__"))
    if is_coordinator(user):
        return reuses
    if not permissions.can_read_catalogue(user):
        return reuses.filter(confirmation=Reuse.Confirmation.CONFIRMED)
    own = contact_of(user).municipality_id
    return reuses.exclude(
        Q(confirmation=Reuse.Confirmation.DECLINED)
        & ~Q(municipality_id=own)
        & ~Q(project__municipality_id=own)
    )


def reuses_of_project(*, user, project) -> list:
    from .models import Reuse

    reuses = Reuse.objects.filter(project=project).select_related("municipality", "contact")
    return list(_visible_reuses(user, reuses).order_by("-date", "-pk"))


def reuses_of_municipality(*, user, municipality, limit: int = MUNICIPALITY_LIMIT) -> dict:
    """What the municipality took from whom, and who took what from it: the ``limit``
    latest of each (the columns a list shows) and how many there are in all."""
    from .models import Reuse

    visible = (
        _visible_reuses(user, Reuse.objects.all())
        .order_by("-date", "-pk")
        .values(
            "stage",
            "confirmation",
            "project__title",
            "project__slug",
            "project__municipality__name",
            "municipality__name",
        )
    )
    taken, taken_count = _first_and_count(visible.filter(municipality=municipality), limit)
    given, given_count = _first_and_count(visible.filter(project__municipality=municipality), limit)
    return {"taken": taken, "given": given, "taken_count": taken_count, "given_count": given_count}


def reuses_waiting_for(*, municipality) -> QuerySet:
    """Records of reuse of the municipality's projects it has not answered yet."""
    from .models import Reuse

    return Reuse.objects.filter(
        project__municipality=municipality, confirmation=Reuse.Confirmation.PENDING
    ).select_related("project", "municipality")
