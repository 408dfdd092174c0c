"""The project cards of the catalogue's list and a topic's page, written in Python.

Twenty cards through the template engine (an ``{% include %}`` per card, a ``reverse()`` and
a dozen translations each) were most of the list's cost; here the link and the words are
looked up once per list and each card is one ``format_html``.
"""

from __future__ import annotations

from urllib.parse import quote

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

_SLUG = "__slug__"
# reverse() quotes its arguments with these safe characters (django.urls.resolvers)
_SAFE = "/~:@!$&'()*+,;="

CARD = (
    '<article class="card h-100">\n  <div class="card-body">\n'
    '    <p class="small text-body-secondary mb-1">\n'
    '      <span class="badge {}">{}</span>\n      {}\n      {}\n    </p>\n'
    '    <h{} class="h5 card-title"><a href="{}">{}</a></h{}>\n'
    '    <p class="card-text">{}</p>\n    {}\n  </div>\n'
    '  <div class="card-footer small text-body-secondary">{} '
    '<time datetime="{}">{}</time></div>\n</article>'
)


def project_cards(projects, *, level: int = 3, members: bool = False) -> SafeString:
    """The cards of ``projects`` (with ``municipality`` selected and ``topics`` prefetched),
    each in a ``<div class="col">``; ``members`` marks the profiles not public."""
    link = reverse("projects:detail", kwargs={"slug": _SLUG})
    members_only = format_html(
        ' · <span class="badge text-bg-light border">{}</span>', gettext("members only")
    )
    topics_word = gettext("Topics")
    updated = gettext("Last updated")
    cards = []
    for project in projects:
        topics = project.topics.all()
        topic_line = (
            format_html(
                '<p class="mb-0 small"><span class="visually-hidden">{}:</span>{}</p>',
                topics_word,
                format_html_join(
                    "",
                    ' <span class="badge text-bg-light border">{}</span>',
                    ((t.name,) for t in topics),
                ),
            )
            if topics
            else ""
        )
        changed = timezone.localtime(project.updated_at) if project.updated_at else None
        cards.append(
            format_html(
                '<div class="col">' + CARD + "</div>",
                "text-bg-warning" if project.stage == "stopped" else "text-bg-secondary",
                project.get_stage_display(),
                project.municipality.name,
                members_only if members and not project.is_public else "",
                level,
                link.replace(_SLUG, quote(project.slug, safe=_SAFE)),
                project.title,
                level,
                Truncator(project.summary).chars(220),
                topic_line,
                updated,
                date_filter(changed, "Y-m-d"),
                date_filter(changed, "j. F Y"),
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every part escaped by format_html
