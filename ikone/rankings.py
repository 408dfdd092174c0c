"""The network's latest topic ranking, for apps that must not import the surveys app.

The agenda proposal of a meeting needs the members' ranking of topics, and meetings do not
import surveys (``pyproject.toml``, import-linter). The surveys app registers a provider in
its ``AppConfig.ready()``; this module imports no app and only passes plain data on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["RankedTopic", "Ranking", "latest_topic_ranking", "register_provider"]


@dataclass(frozen=True)
class RankedTopic:
    """One option of a ranking question: its place, Borda points and the topic it names."""

    label: str
    rank: int
    points: int
    mean_rank: float
    rankings: int  # how many responses ranked it
    topic_id: int | None = None


@dataclass(frozen=True)
class Ranking:
    title: str  # the survey's title
    closes_at: datetime | None
    responses: int
    topics: list[RankedTopic] = field(default_factory=list)


Provider = Callable[[], Ranking | None]
_provider: Provider | None = None


def register_provider(provider: Provider) -> Provider:
    """Called once by the app that holds the rankings (surveys)."""
    global _provider
    _provider = provider
    return provider


def latest_topic_ranking() -> Ranking | None:
    """The ranking of the latest opened ranking survey, or None (none exists, none opened)."""
    if _provider is None:
        return None
    return _provider()
