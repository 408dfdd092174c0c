"""Talks (agenda items) on other apps' pages: a project's page, a topic page, a municipality's
page. Registered from ``MeetingsConfig.ready()`` with the registries of ``projects.pages`` and
``ikone.municipality_page``; every source costs one query, whatever the number of talks.

A talk is shown to whoever may see its meeting (members-only meetings to members and
coordinators), only once the meeting is announced or held, and links to its project only
where the viewer may open that profile.
"""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ikone.expressions import InSubquery
from ikone.listing import day_words, link_to
from ikone.municipality_page import Section, add_section
from projects.models import ProjectProfile
from projects.pages import add_project_section, add_topic_section
from projects.permissions import can_view_project

from . import permissions
from .models import AgendaItem, Meeting

SHOWN = (
    "pk",
    "title",
    "speaker",
    "speaker_organisation",
    "speaker_municipality_id",
    "speaker_municipality__name",
    "slides",
    "recording_url",
    "meeting__slug",
    "meeting__title",
    "meeting__number",
    "meeting__kind",
    "meeting__start",
    "meeting__series_id",
    "meeting__series__name",
    "project_id",
    "project__slug",
    "project__title",
    "project__status",
    "project__visibility",
    "project__published_at",
)


def meetings_with_talks(user) -> QuerySet[Meeting]:
    """Announced and held meetings ``user`` may see (no drafts, no cancelled ones)."""
    return Meeting.objects.filter(_visible_meeting(user))


def _visible_meeting(user, prefix: str = "") -> Q:
    shown = Q(**{f"{prefix}status__in": [Meeting.Status.ANNOUNCED, Meeting.Status.HELD]})
    if permissions.can_read_minutes(user):  # members and coordinators
        return shown
    return shown & Q(**{f"{prefix}is_public": True})


def talks(*, user, condition: Q, limit: int | None = None) -> list[dict]:
    """The talks matching ``condition`` that ``user`` may see, newest meeting first: the
    columns a list of talks shows (``SHOWN``), each row with ``shown_project``: whether the
    viewer may open its project. One query."""
    # The keys of the newest matching talks (narrow rows, however many match) as a sliced
    # subquery, and only those few rows with the columns of their meeting, speaker's
    # municipality and project: joining the profiles before the limit made PostgreSQL hash
    # every profile of the catalogue.
    order = ("-meeting__start", "position", "pk")
    chosen = (
        AgendaItem.objects.filter(condition, _visible_meeting(user, "meeting__"))
        .order_by(*order)
        .values("pk")[: limit or settings.IKONE_TALKS_PER_SECTION]
    )
    found = list(AgendaItem.objects.filter(pk__in=chosen).order_by(*order).values(*SHOWN))
    for row in found:
        project = None
        if row["project_id"] is not None:
            project = ProjectProfile(
                status=row["project__status"],
                visibility=row["project__visibility"],
                published_at=row["project__published_at"],
            )
        row["shown_project"] = can_view_project(user, project)
    return found


def _meeting_title(row: dict, kinds: dict) -> str:
    """``Meeting.display_title`` of the row's meeting."""
    if row["meeting__title"]:
        return row["meeting__title"]
    if row["meeting__series_id"] and row["meeting__number"]:
        year = timezone.localtime(row["meeting__start"]).year
        return f"{row['meeting__number']}. {row['meeting__series__name']} {year}"
    if row["meeting__series_id"]:
        return row["meeting__series__name"]
    return str(kinds.get(row["meeting__kind"], row["meeting__kind"]))


def talks_html(found: list[dict], *, show_project: bool = True) -> str:
    """The list of talks: title (to its meeting), speaker and affiliation, meeting and day,
    the project where the viewer may open it, slides and recording."""
    meeting_link = link_to("meetings:detail")
    slides_link = link_to("meetings:slides", "slug", "item_pk")
    project_link = link_to("projects:detail")
    words = day_words()
    kinds = dict(Meeting.Kind.choices)
    project_word = escape(gettext("Project:"))
    lines = []
    for row in found:
        title = row["title"]
        parts = [f'<a href="{meeting_link(row["meeting__slug"])}">{escape(title)}</a>']
        speaker = row["speaker"]
        affiliation = (
            row["speaker_municipality__name"]
            if row["speaker_municipality_id"]
            else row["speaker_organisation"]
        )
        if speaker or affiliation:
            comma = ", " if speaker and affiliation else ""
            parts.append(f"<span>{escape(speaker)}{comma}{escape(affiliation)}</span>")
        _iso, day = words(row["meeting__start"])
        meeting = escape(_meeting_title(row, kinds))
        parts.append(f'<span class="text-body-secondary">{meeting}, {day}</span>')
        if show_project and row["shown_project"]:
            url = project_link(row["project__slug"])
            parts.append(f'{project_word} <a href="{url}">{escape(row["project__title"])}</a>')
        files = []
        if row["slides"]:
            label = escape(gettext("Slides (PDF): %(title)s") % {"title": title})
            files.append(f'<a href="{slides_link(row["meeting__slug"], row["pk"])}">{label}</a>')
        if row["recording_url"]:
            label = escape(gettext("Recording: %(title)s") % {"title": title})
            url = escape(row["recording_url"])
            files.append(f'<a href="{url}" rel="noopener">{label}</a>')
        if files:
            parts.append(" · ".join(files))
        lines.append(f'<li class="mb-3">{"<br>".join(parts)}</li>')
    return (
        '<section class="mb-4" aria-labelledby="talks-heading">\n'
        f'  <h2 class="h4 mt-4" id="talks-heading">{escape(gettext("Talks"))}</h2>\n'
        f'  <ul class="list-unstyled">{"".join(lines)}</ul>\n</section>'
    )


def _section(talks_found, *, order, show_project=True) -> Section | None:
    if not talks_found:
        return None
    return Section(
        template="meetings:talks",
        html=mark_safe(talks_html(talks_found, show_project=show_project)),  # noqa: S308 - escaped
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
    # The profiles' keys as a value computed once: a join, or a plain ``IN`` under the OR,
    # would test every talk of every meeting (ikone.expressions.InSubquery).
    own_projects = ProjectProfile.objects.filter(municipality=municipality).values("pk")
    condition = Q(speaker_municipality=municipality) | Q(InSubquery(F("project_id"), own_projects))
    return _section(talks(user=request.user, condition=condition), order=30)
