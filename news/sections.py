"""Posts on other apps' pages: a project's page, a topic page, a municipality's page.

Registered from ``NewsConfig.ready()`` with the registries of ``projects.pages`` and
``ikone.municipality_page``. Only published posts appear (the same for every role: a post is
public once published); each source costs one query, whatever their number.
"""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ikone.listing import day_words, link_to
from ikone.municipality_page import Section, add_section
from projects.pages import add_project_section, add_topic_section

from .models import Post

SHOWN = ("slug", "title", "teaser", "published_at", "municipality_id", "municipality__name")

POST = (
    '\n      <li class="mb-3">\n        <a href="{}">{}</a>\n'
    '        <br><span class="small text-body-secondary"><time datetime="{}">{}</time> · {}'
    "</span>\n        <br>{}\n      </li>\n    "
)


def posts(*, condition: Q, limit: int | None = None) -> list[dict]:
    """Published posts matching ``condition``, newest first: the columns a list shows."""
    found = (
        Post.objects.published().filter(condition).order_by("-published_at", "-pk").values(*SHOWN)
    )
    return list(found[: limit or settings.IKONE_POSTS_PER_SECTION])


def on_topic(topic) -> list[dict]:
    """Posts on the topic: through their own topics, or through the project they name."""
    ids = Post.objects.published().filter(Q(topics=topic) | Q(project__topics=topic))
    return posts(condition=Q(pk__in=ids.values("pk")))


def posts_html(found: list[dict]) -> str:
    """The list of posts: title (linked), day, municipality (or the coordination), teaser."""
    link = link_to("news:detail")
    words = day_words()
    coordination = escape(gettext("IKONE DS coordination"))
    lines = []
    for row in found:
        iso, day = words(row["published_at"])
        by = escape(row["municipality__name"]) if row["municipality_id"] else coordination
        lines.append(
            POST.format(
                link(row["slug"]), escape(row["title"]), iso, day, by, escape(row["teaser"])
            )
        )
    return (
        '<section class="mb-4" aria-labelledby="posts-heading">\n'
        f'  <h2 class="h4 mt-4" id="posts-heading">{escape(gettext("Posts"))}</h2>\n'
        f'  <ul class="list-unstyled">\n    {"".join(lines)}\n  </ul>\n</section>'
    )


def _section(found: list[dict], *, order: int) -> Section | None:
    if not found:
        return None
    return Section(
        template="news:posts",
        html=mark_safe(posts_html(found)),  # noqa: S308 - every part escaped
        order=order,
    )


@add_project_section
def project_posts(request, project) -> Section | None:
    return _section(posts(condition=Q(project=project)), order=40)


@add_topic_section
def topic_posts(request, topic) -> Section | None:
    return _section(on_topic(topic), order=40)


@add_section
def municipality_posts(request, municipality) -> Section | None:
    return _section(posts(condition=Q(municipality=municipality)), order=40)
