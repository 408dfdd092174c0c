"""What other apps add to a project's page and to a topic page (talks, posts …).

The catalogue imports no activity (``pyproject.toml``), yet its pages list the talks and
posts that name a project or a topic. Meetings and news register, in their
``AppConfig.ready()``, functions ``source(request, project)`` and ``source(request, topic)``
that return a :class:`~ikone.municipality_page.Section` (a template and its context) or
``None``; the pages show them in order. Each source keeps its own visibility rules and a
constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable

from ikone.municipality_page import Section

__all__ = [
    "Section",
    "add_project_section",
    "add_topic_section",
    "project_sections",
    "topic_sections",
]

Source = Callable[[object, object], Section | None]
_project_sources: list[Source] = []
_topic_sources: list[Source] = []


def add_project_section(source: Source) -> Source:
    """Register ``source(request, project) -> Section | None``; usable as a decorator."""
    if source not in _project_sources:
        _project_sources.append(source)
    return source


def add_topic_section(source: Source) -> Source:
    """Register ``source(request, topic) -> Section | None``; usable as a decorator."""
    if source not in _topic_sources:
        _topic_sources.append(source)
    return source


def _collect(sources: list[Source], request, obj) -> list[Section]:
    found = [section for source in sources if (section := source(request, obj))]
    return sorted(found, key=lambda section: (section.order, section.template))


def project_sections(request, project) -> list[Section]:
    return _collect(_project_sources, request, project)


def topic_sections(request, topic) -> list[Section]:
    return _collect(_topic_sources, request, topic)
