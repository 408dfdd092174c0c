"""Workshop seats by ranked preference: an exact, lexicographic, reproducible allocation.

Pure: no models, no database. The admin and ``manage.py allocate_workshops`` both call
:func:`allocate` with plain identifiers (database ids there, the CSV's strings here).

The allocation is optimal in this order, each objective only among the solutions that are
optimal for the ones before it (lexicographic, never a weighted sum):

1. as many participants as possible get at least one seat;
2. as many seats as possible, up to what each participant asked for;
3. as many first choices as possible, then as many second choices, and so on.

Each objective is one mixed-integer program solved exactly by HiGHS
(``scipy.optimize.milp``); its optimum is then fixed as a constraint of the next one. Among
the solutions that are still equally good, a last program maximises a random weight per
(participant, workshop) drawn from the published seed: the same input and seed give the same
result, and neither registering early nor a participant's place in the list is worth anything.

The fast path (:class:`_OptimalFaces`, the default) gets the same optima from the linear
relaxations: the constraints are those of a flow network, so each relaxation has an integral
optimum, and the dual solution describes the set of *all* optimal solutions exactly, which
the next objective is then maximised over. Should a relaxation ever come out fractional, the
MILP sequence decides. The tests compare both with brute force.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Mapping, Sequence

from django.utils.translation import gettext as _

from .solver import _Problem
from .types import (
    MAX_SEED,
    Allocation,
    AllocationError,
    Missed,
    Outcome,
    Reason,
    Statistics,
    WorkshopFill,
    WorkshopSpec,
)

__all__ = [
    "MAX_SEED",
    "AllocationError",
    "WorkshopSpec",
    "Reason",
    "Missed",
    "Outcome",
    "WorkshopFill",
    "Statistics",
    "Allocation",
    "allocate",
    "new_seed",
]


def new_seed() -> int:
    """A fresh seed to publish with the result (the coordinator may rerun with another)."""
    return secrets.randbelow(2**31)


def allocate(
    *,
    workshops: Sequence[WorkshopSpec],
    preferences: Mapping[Hashable, Sequence[Hashable]],
    wanted: Mapping[Hashable, int] | None = None,
    max_per_person: int = 2,
    seed: int | None = None,
    method: str = "faces",
) -> Allocation:
    """Allocate seats: ``preferences`` maps each participant to their ranking (best first).

    ``wanted`` says how many workshops a participant asks for (default ``max_per_person``).
    ``method="milp"`` skips the fast path (see :class:`_OptimalFaces`) and solves the MILP
    sequence directly; both give the same optima.
    A participant only ever gets workshops they ranked, at most one per round, at most
    ``wanted`` of them, and no workshop gets more participants than its capacity.
    """
    wanted = dict(wanted or {})
    seed = new_seed() if seed is None else seed
    _validate(workshops, preferences, wanted, max_per_person, seed)
    if method not in ("faces", "milp"):
        raise ValueError(f"unknown method {method!r}")
    problem = _Problem(workshops, preferences, wanted, max_per_person)
    chosen, method = problem.solve(seed, method=method)
    return problem.result(chosen, seed, method)


def _validate(workshops, preferences, wanted, max_per_person, seed) -> None:
    if not isinstance(max_per_person, int) or max_per_person < 1:
        raise AllocationError(_("Each participant must be allowed at least one workshop."))
    if not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise AllocationError(_("The seed must be a whole number of at least 0."))
    known = {}
    for workshop in workshops:
        if workshop.id in known:
            raise AllocationError(
                _("The workshop “%(workshop)s” is listed twice.") % {"workshop": workshop.id}
            )
        if not isinstance(workshop.capacity, int) or workshop.capacity < 1:
            raise AllocationError(
                _("The workshop “%(workshop)s” needs a capacity of at least 1.")
                % {"workshop": workshop.id}
            )
        if workshop.round is not None and (
            not isinstance(workshop.round, int) or workshop.round < 1
        ):
            raise AllocationError(
                _("The round of the workshop “%(workshop)s” must be 1, 2, … or empty.")
                % {"workshop": workshop.id}
            )
        known[workshop.id] = workshop
    for participant, ranking in preferences.items():
        if not ranking:
            raise AllocationError(
                _("“%(participant)s” has ranked no workshop.") % {"participant": participant}
            )
        seen = set()
        for workshop in ranking:
            if workshop not in known:
                raise AllocationError(
                    _(
                        "“%(participant)s” ranked “%(workshop)s”, "
                        "which is not a workshop of this event."
                    )
                    % {"participant": participant, "workshop": workshop}
                )
            if workshop in seen:
                raise AllocationError(
                    _("“%(participant)s” ranked the workshop “%(workshop)s” twice.")
                    % {"participant": participant, "workshop": workshop}
                )
            seen.add(workshop)
    for participant, count in wanted.items():
        if participant not in preferences:
            raise AllocationError(
                _("“%(participant)s” asks for workshops but has ranked none.")
                % {"participant": participant}
            )
        if not isinstance(count, int) or not 1 <= count <= max_per_person:
            raise AllocationError(
                _("“%(participant)s” asks for %(count)s workshops; allowed are 1 to %(max)s.")
                % {"participant": participant, "count": count, "max": max_per_person}
            )
