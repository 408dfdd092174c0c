"""Posts on other apps' pages: a project's page, a topic page, a municipality's page.

Registered from ``NewsConfig.ready()`` with the registries of ``projects.pages`` and
``ikone.municipality_page``. Only published posts appear (the same for every role: a post is
public once published); each source costs one query, whatever their number.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from ikone.municipality_page import Section, add_section
from projects.pages import add_project_section, add_topic_section

from .models import Post


def posts(*, condition: Q, limit: int | None = None) -> list[Post]:
    """Published posts matching ``condition``, newest first."""
    found = (
        Post.objects.published()
        .filter(condition)
        .select_related("municipality")
        .defer("body", "body_html", "cover_renditions")
        .order_by("-published_at", "-pk")
    )
    return list(found[: limit or settings.IKONE_POSTS_PER_SECTION])


def on_topic(topic) -> list[Post]:
    """Posts on the topic: through their own topics, or through the project they name."""
    ids = Post.objects.published().filter(Q(topics=topic) | Q(project__topics=topic))
    return posts(condition=Q(pk__in=ids.values("pk")))


def _section(found: list[Post], *, order: int) -> Section | None:
    if not found:
        return None
    return Section(template="news/_posts_section.html", context={"posts": found}, order=order)


@add_project_section
def project_posts(request, project) -> Section | None:
    return _section(posts(condition=Q(project=project)), order=40)


@add_topic_section
def topic_posts(request, topic) -> Section | None:
    return _section(on_topic(topic), order=40)


@add_section
def municipality_posts(request, municipality) -> Section | None:
    return _section(posts(condition=Q(municipality=municipality)), order=40)
