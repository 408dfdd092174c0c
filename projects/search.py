"""The catalogue's part of the portal search, with the catalogue's visibility.

Visitors find what ``/projekte/`` shows them (public, reviewed, published: never a draft or a
profile under review); members and coordinators what they read in the catalogue, also the
profiles shared with the network only. Withdrawn profiles are found by nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from .models import ProjectProfile


def audience(project: ProjectProfile) -> str | None:
    """``ProjectQuerySet.public()`` for everybody, ``for_members()`` for members."""
    if project.status == ProjectProfile.Status.ARCHIVED:
        return None
    if project.is_public:
        return search.PUBLIC
    return search.MEMBERS


def project_documents(projects: Iterable[ProjectProfile]) -> Iterable[search.Document]:
    for project in projects:
        who = audience(project)
        if who is None:
            continue
        yield search.Document(
            object_id=project.pk,
            title=project.title,
            url=search.address(project),
            date=project.published_at or project.updated_at,
            lead=project.summary,
            body=" ".join(
                (
                    (project.description_html or project.description)
                    if project.description_adds
                    else "",
                    project.lessons_learned,
                    project.obstacles,
                    project.municipality.name,
                )
            ),
            audience=who,
        )


def narrow_projects(*, topic=None, municipality=None) -> QuerySet:
    projects = ProjectProfile.objects.all()
    if topic is not None:
        projects = projects.filter(topics=topic)
    if municipality is not None:
        projects = projects.filter(
            Q(municipality=municipality) | Q(partner_municipalities=municipality)
        )
    return projects


def register() -> None:
    search.register(
        search.Source(
            kind="project",
            label=_("Projects"),
            model=ProjectProfile,
            queryset=lambda: ProjectProfile.objects.select_related("municipality"),
            documents=project_documents,
            narrow=narrow_projects,
            order=10,
        )
    )
