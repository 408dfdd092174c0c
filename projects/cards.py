"""The project cards of the catalogue's list and a topic's page, written in Python.

Twenty cards through the template engine (an ``{% include %}`` per card, a ``reverse()`` and
a dozen translations each) were most of the list's cost; here the link, the words, the stage
labels and the month names are looked up once per list, the topics' names come in one narrow
query, and each card is one ``str.format`` of escaped strings (what ``format_html`` would
give, without its per-argument lazy-string and SafeString checks).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from ikone.listing import day_words, link_to

SUMMARY_CHARS = 220

CARD = (
    '<div class="col"><article class="card h-100">\n  <div class="card-body">\n'
    '    <p class="small text-body-secondary mb-1">\n'
    '      <span class="badge {}">{}</span>\n      {}\n      {}\n    </p>\n'
    '    <h{} class="h5 card-title"><a href="{}">{}</a></h{}>\n'
    '    <p class="card-text">{}</p>\n    {}\n  </div>\n'
    '  <div class="card-footer small text-body-secondary">{} '
    '<time datetime="{}">{}</time></div>\n</article></div>'
)
TOPIC_LINE = '<p class="mb-0 small"><span class="visually-hidden">{}:</span>{}</p>'
TOPIC_BADGE = ' <span class="badge text-bg-light border">{}</span>'


def topic_names(projects) -> dict[int, list[str]]:
    """The names of each profile's topics (in the topics' order), in one query of two
    columns: no Topic instances and no related manager per card."""
    from .models import ProjectProfile

    names: dict[int, list[str]] = defaultdict(list)
    ids = [project.pk for project in projects]
    if not ids:
        return names
    rows = (
        ProjectProfile.topics.through.objects.filter(projectprofile_id__in=ids)
        .order_by("topic__position", "topic__name", "topic_id")
        .values_list("projectprofile_id", "topic__name")
    )
    for project_id, name in rows:
        names[project_id].append(name)
    return names


def _summary(text: str) -> str:
    """``Truncator(text).chars(220)``, without walking a text that fits."""
    normal = unicodedata.normalize("NFC", text)
    if len(normal) <= SUMMARY_CHARS:
        return normal
    return Truncator(text).chars(SUMMARY_CHARS)


def project_cards(projects, *, level: int = 3, members: bool = False) -> SafeString:
    """The cards of ``projects`` (with ``municipality`` selected), each in a
    ``<div class="col">``; ``members`` marks the profiles not public."""
    from .models import Stage

    projects = list(projects)
    link = link_to("projects:detail")
    members_only = ' · <span class="badge text-bg-light border">{}</span>'.format(
        escape(gettext("members only"))
    )
    topics_word = escape(gettext("Topics"))
    updated = escape(gettext("Last updated"))
    stages = {value: escape(str(label)) for value, label in Stage.choices}
    words = day_words()
    names = topic_names(projects)
    cards = []
    for project in projects:
        topics = names.get(project.pk)
        topic_line = (
            TOPIC_LINE.format(
                topics_word, "".join(TOPIC_BADGE.format(escape(name)) for name in topics)
            )
            if topics
            else ""
        )
        iso, shown = words(project.updated_at)
        stage = project.stage
        cards.append(
            CARD.format(
                "text-bg-warning" if stage == "stopped" else "text-bg-secondary",
                stages.get(stage, escape(stage)),
                escape(project.municipality.name),
                members_only if members and not project.is_public else "",
                level,
                link(project.slug),
                escape(project.title),
                level,
                escape(_summary(project.summary)),
                topic_line,
                updated,
                iso,
                shown,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every part escaped above
