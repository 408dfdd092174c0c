"""Reads of the catalogue shared by views, admin, the API and services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import permissions
from .models import ProjectProfile


def project_list(*, user, topic=None, stage: str = "", municipality=None, q: str = "") -> QuerySet:
    """The profiles ``user`` may see, filtered, newest update first."""
    projects = permissions.visible_projects(user).for_listing()
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


def projects_of_municipality(*, user, municipality) -> dict[str, list]:
    """A municipality's own profiles and those it is a partner in, as ``user`` may see them."""
    visible = permissions.visible_projects(user).for_listing()
    return {
        "own": list(visible.filter(municipality=municipality)),
        "partner": list(visible.filter(partner_municipalities=municipality)),
    }


def _visible_reuses(user, reuses: QuerySet) -> QuerySet:
    """Public: confirmed reuse of public profiles. Members: all but declined records (those
    only the two municipalities and the coordinators see)."""
    from members.permissions import contact_of, is_coordinator

    from .models import Reuse

    reuses = reuses.filter(project__in=permissions.visible_projects(user))
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


def reuses_of_municipality(*, user, municipality) -> dict[str, list]:
    """What the municipality took from whom, and who took what from it."""
    from .models import Reuse

    reuses = Reuse.objects.select_related("project__municipality", "municipality")
    visible = _visible_reuses(user, reuses)
    return {
        "taken": list(visible.filter(municipality=municipality).order_by("-date")),
        "given": list(visible.filter(project__municipality=municipality).order_by("-date")),
    }


def reuses_waiting_for(*, municipality) -> QuerySet:
    """Records of reuse of the municipality's projects it has not answered yet."""
    from .models import Reuse

    return Reuse.objects.filter(
        project__municipality=municipality, confirmation=Reuse.Confirmation.PENDING
    ).select_related("project", "municipality")
