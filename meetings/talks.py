"""Talks (agenda items) on other apps' pages: a project's page, a topic page, a municipality's
page. Registered from ``MeetingsConfig.ready()`` with the registries of ``projects.pages`` and
``ikone.municipality_page``; every source costs one query, whatever the number of talks.

A talk is shown to whoever may see its meeting (members-only meetings to members and
coordinators), only once the meeting is announced or held, and links to its project only
where the viewer may open that profile.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from ikone.municipality_page import Section, add_section
from projects.models import ProjectProfile
from projects.pages import add_project_section, add_topic_section
from projects.permissions import can_view_project

from . import permissions
from .models import AgendaItem, Meeting

WIDE_PROJECT_FIELDS = ("description", "description_html", "lessons_learned", "obstacles")
# long texts of the joined rows that a list of talks never shows
WIDE_FIELDS = (
    "description",
    "meeting__description",
    "meeting__minutes",
    "meeting__public_summary",
    "meeting__series__description",
    "speaker_municipality__description",
    *(f"project__{name}" for name in WIDE_PROJECT_FIELDS),
)


def meetings_with_talks(user) -> QuerySet[Meeting]:
    """Announced and held meetings ``user`` may see (no drafts, no cancelled ones)."""
    meetings = Meeting.objects.filter(status__in=[Meeting.Status.ANNOUNCED, Meeting.Status.HELD])
    if permissions.can_read_minutes(user):  # members and coordinators
        return meetings
    return meetings.filter(is_public=True)


def talks(*, user, condition: Q, limit: int | None = None) -> list[AgendaItem]:
    """The talks matching ``condition`` that ``user`` may see, newest meeting first; each with
    ``shown_project``: its project if the viewer may open it, else None."""
    # The keys of the newest matching talks (narrow rows, however many match) as a sliced
    # subquery, and only those few rows with their meeting, speaker's municipality and
    # project: joining the wide rows before the limit made PostgreSQL hash every profile of
    # the catalogue. One query (the keys were a round trip of their own).
    order = ("-meeting__start", "position", "pk")
    chosen = (
        AgendaItem.objects.filter(condition, meeting__in=meetings_with_talks(user))
        .order_by(*order)
        .values("pk")[: limit or settings.IKONE_TALKS_PER_SECTION]
    )
    found = list(
        AgendaItem.objects.filter(pk__in=chosen)
        .select_related("meeting__series", "speaker_municipality", "project")
        .defer(*WIDE_FIELDS)
        .order_by(*order)
    )
    for item in found:
        item.shown_project = item.project if can_view_project(user, item.project) else None
    return found


def _section(talks_found, *, order, show_project=True) -> Section | None:
    if not talks_found:
        return None
    return Section(
        template="meetings/_talks_section.html",
        context={"talks": talks_found, "show_project": show_project},
        order=order,
    )


@add_project_section
def project_talks(request, project) -> Section | None:
    found = talks(user=request.user, condition=Q(project=project))
    return _section(found, order=30, show_project=False)


@add_topic_section
def topic_talks(request, topic) -> Section | None:
    return _section(talks(user=request.user, condition=Q(topics=topic)), order=30)


@add_section
def municipality_talks(request, municipality) -> Section | None:
    """Talks its people gave, and talks about its projects (an outside speaker, e.g. the
    city's IT company, presenting the city's project)."""
    # the profiles as a subquery: a join would make the OR test every talk against every profile
    own_projects = ProjectProfile.objects.filter(municipality=municipality).values("pk")
    condition = Q(speaker_municipality=municipality) | Q(project__in=own_projects)
    return _section(talks(user=request.user, condition=condition), order=30)
