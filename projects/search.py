"""The catalogue's part of the portal search: published profiles (members-only ones for members).

Visitors find what ``/projekte/`` shows them (public, reviewed, published: never a draft or a
profile under review); members and coordinators what they read in the catalogue, also the
profiles shared with the network only. Withdrawn profiles are found by nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from . import permissions
from .models import ProjectProfile


def project_documents(projects: Iterable[ProjectProfile]) -> Iterable[search.Document]:
    for project in projects:
        yield search.Document(
            object_id=project.pk,
            title=project.title,
            url=search.address(project),
            date=project.published_at or project.updated_at,
            lead=project.summary,
            body=" ".join(
                (
                    project.description_html or project.description,
                    project.lessons_learned,
                    project.obstacles,
                    project.municipality.name,
                )
            ),
        )


def visible_projects(*, user, topic=None, municipality=None) -> QuerySet:
    projects = permissions.visible_projects(user)
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
            visible=visible_projects,
            order=10,
        )
    )
