"""What the apps add to the member's start page (*Mein Bereich*): to-dos and link cards.

The start page belongs to no app. Each app registers, in its ``AppConfig.ready()``, a
function that lists what its part asks of a contact person (``add_todos``) and the template
of its card (``add_card``). This module imports no app; the page asks it for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Card", "Todo", "add_card", "add_todos", "cards", "todos_for"]


@dataclass(frozen=True)
class Todo:
    """One thing a contact person should do, with the place where it is done."""

    text: str
    url: str
    action: str  # the link's text: "Answer", "Register", …
    detail: str = ""
    due: datetime | None = None
    done: bool = False  # shown for information ("You are registered"), not as a task


@dataclass(frozen=True)
class Card:
    template: str
    order: int


TodoSource = Callable[[object], Iterable[Todo]]
_sources: list[TodoSource] = []
_cards: dict[str, Card] = {}


def add_todos(source: TodoSource) -> TodoSource:
    """Register ``source(contact) -> Todo…``; usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def add_card(template: str, *, order: int = 100) -> None:
    _cards[template] = Card(template=template, order=order)


def todos_for(contact) -> list[Todo]:
    """Everything the registered apps ask of this contact: open tasks first, by due date."""
    if contact is None:
        return []
    todos = [todo for source in _sources for todo in source(contact)]
    return sorted(todos, key=lambda t: (t.done, t.due is None, t.due and t.due.timestamp(), t.text))


def cards() -> list[Card]:
    return sorted(_cards.values(), key=lambda card: (card.order, card.template))


# The site's own card: a person's data (GDPR) is kept across all apps.
add_card("privacy/_area_card.html", order=80)
