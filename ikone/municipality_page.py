"""What the apps add to a municipality's page (its projects, reuse, talks …).

The page belongs to ``members``, which imports no activity. Each app registers, in its
``AppConfig.ready()``, a function ``source(request, municipality)`` that returns a
:class:`Section` (a template and its context, or HTML the source wrote itself with
:mod:`ikone.listing`) or ``None``; the page shows them in order.
This module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Section", "add_section", "sections"]


@dataclass(frozen=True)
class Section:
    template: str  # names the section (and orders equal ``order``s) where ``html`` is set
    context: dict = field(default_factory=dict)
    order: int = 100
    html: str = ""  # safe HTML written by the source; the page shows it instead of the template


SectionSource = Callable[[object, object], Section | None]
_sources: list[SectionSource] = []


def add_section(source: SectionSource) -> SectionSource:
    """Register ``source(request, municipality) -> Section | None``; usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def sections(request, municipality) -> list[Section]:
    found = [section for source in _sources if (section := source(request, municipality))]
    return sorted(found, key=lambda section: (section.order, section.template))
