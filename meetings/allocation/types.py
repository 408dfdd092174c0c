"""What goes into an allocation and what comes out: workshops, outcomes, statistics."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum

from ikone.errors import DomainError

#: The largest seed accepted (NumPy takes any non-negative integer; this keeps it printable).
MAX_SEED = 2**63 - 1


class AllocationError(DomainError):
    """The input cannot be allocated as given; the message says what to fix."""


@dataclass(frozen=True)
class WorkshopSpec:
    """A workshop as the allocation sees it. ``round`` None: at no fixed time slot."""

    id: Hashable
    round: int | None
    capacity: int


class Reason(StrEnum):
    """Why a participant did not get one of the workshops they ranked."""

    #: they got a workshop of the same round that they ranked higher (one per round)
    SAME_ROUND = "same_round"
    #: they got as many workshops as they asked for, each ranked higher
    ENOUGH = "enough"
    #: its seats went to others: every seat of it is taken
    FULL = "full"


@dataclass(frozen=True)
class Missed:
    rank: int
    workshop: Hashable
    reason: Reason


@dataclass(frozen=True)
class Outcome:
    """One participant's result and the basis to explain it."""

    ranking: tuple
    wanted: int
    #: what their ranking allows: ``wanted``, but at most one per round they ranked in
    attainable: int
    #: the workshops they got, in the order of their ranking
    assigned: tuple
    #: the ranks (1 = first choice) of ``assigned``
    ranks: tuple[int, ...]
    #: the ranked workshops they did not get, each with the reason
    missed: tuple[Missed, ...]

    @property
    def got_fewer_than_wanted(self) -> bool:
        """Fewer than asked for, as far as their own ranking allowed (one per round)."""
        return len(self.assigned) < self.attainable


@dataclass(frozen=True)
class WorkshopFill:
    round: int | None
    capacity: int
    assigned: int


@dataclass(frozen=True)
class Statistics:
    seed: int
    participants: int
    #: the seats asked for, as far as each ranking allowed them (one per round)
    seats_wanted: int
    seats_assigned: int
    #: rank → number of seats given at that rank (1 = first choices)
    by_rank: dict[int, int]
    #: participants who got at least one seat but fewer than they asked for
    fewer_than_wanted: tuple
    #: participants who got no seat at all
    without_seat: tuple
    workshops: dict[Hashable, WorkshopFill]

    def as_dict(self) -> dict:
        """JSON-ready (identifiers as strings)."""
        return {
            "seed": self.seed,
            "participants": self.participants,
            "participants_with_seat": self.participants - len(self.without_seat),
            "participants_with_fewer_than_wanted": len(self.fewer_than_wanted),
            "participants_without_seat": len(self.without_seat),
            "seats_wanted": self.seats_wanted,
            "seats_assigned": self.seats_assigned,
            "by_rank": {str(rank): count for rank, count in sorted(self.by_rank.items())},
            "fewer_than_wanted": [str(p) for p in self.fewer_than_wanted],
            "without_seat": [str(p) for p in self.without_seat],
            "workshops": {
                str(workshop): {
                    "round": fill.round,
                    "capacity": fill.capacity,
                    "assigned": fill.assigned,
                }
                for workshop, fill in self.workshops.items()
            },
        }


@dataclass(frozen=True)
class Allocation:
    seed: int
    #: participant → the workshops they got, in the order of their ranking (maybe empty)
    assignments: dict[Hashable, list]
    statistics: Statistics
    outcomes: dict[Hashable, Outcome] = field(repr=False)
    #: which way found it: "faces" (the fast path) or "milp" (the MILP sequence)
    method: str = "milp"

    def as_dict(self) -> dict:
        """The documented JSON of ``manage.py allocate_workshops``."""
        return {
            "seed": self.seed,
            "assignments": {
                str(participant): [str(workshop) for workshop in workshops]
                for participant, workshops in self.assignments.items()
            },
            "statistics": self.statistics.as_dict(),
        }
