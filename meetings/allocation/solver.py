"""The programs behind :func:`meetings.allocation.allocate`: the variables and constraints
(:class:`_Problem`), the MILP sequence and the fast path over the optimal faces."""

from __future__ import annotations

import itertools

import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .types import (
    Allocation,
    AllocationError,
    Missed,
    Outcome,
    Reason,
    Statistics,
    WorkshopFill,
)


class _Problem:
    """The variables: one binary x per ranked (participant, workshop), one y per participant.

    y ≤ 1 and y ≤ Σx of the participant, so Σy counts the participants with a seat (y may
    stay continuous: with integral x its optimum is integral).
    """

    def __init__(self, workshops, preferences, wanted, max_per_person):
        self.workshops = list(workshops)
        self.by_id = {workshop.id: workshop for workshop in self.workshops}
        self.column = {workshop.id: index for index, workshop in enumerate(self.workshops)}
        self.participants = list(preferences)
        self.rankings = [tuple(preferences[p]) for p in self.participants]
        self.wanted = [wanted.get(p, max_per_person) for p in self.participants]
        self.attainable = [
            min(count, self._slots(ranking))
            for count, ranking in zip(self.wanted, self.rankings, strict=True)
        ]
        # one entry per x variable
        self.owner, self.workshop_index, self.rank = [], [], []
        for p_index, ranking in enumerate(self.rankings):
            for position, workshop in enumerate(ranking):
                self.owner.append(p_index)
                self.workshop_index.append(self.column[workshop])
                self.rank.append(position + 1)
        self.owner = np.array(self.owner, dtype=np.int64)
        self.workshop_index = np.array(self.workshop_index, dtype=np.int64)
        self.rank = np.array(self.rank, dtype=np.int64)
        self.n_x = len(self.owner)
        self.n_p = len(self.participants)
        self.base = self._base_constraints()

    def _slots(self, ranking) -> int:
        rounds = {self.by_id[w].round for w in ranking if self.by_id[w].round is not None}
        return len(rounds) + sum(1 for w in ranking if self.by_id[w].round is None)

    def _base_constraints(self) -> list[tuple[sparse.csr_array, np.ndarray, np.ndarray]]:
        n_x, n_p = self.n_x, self.n_p
        x_columns = np.arange(n_x)
        blocks = []
        # capacity of each workshop
        capacity = sparse.csr_array(
            (np.ones(n_x), (self.workshop_index, x_columns)), shape=(len(self.workshops), n_x + n_p)
        )
        caps = np.array([w.capacity for w in self.workshops], dtype=float)
        blocks.append((capacity, np.full(len(caps), -np.inf), caps))
        # at most one workshop per participant and round
        rounds = np.array(
            [-1 if w.round is None else w.round for w in self.workshops], dtype=np.int64
        )[self.workshop_index]
        timed = rounds >= 0
        if timed.any():
            keys = np.stack([self.owner[timed], rounds[timed]], axis=1)
            unique, row = np.unique(keys, axis=0, return_inverse=True)
            per_round = sparse.csr_array(
                (np.ones(int(timed.sum())), (row.ravel(), x_columns[timed])),
                shape=(len(unique), n_x + n_p),
            )
            blocks.append((per_round, np.full(len(unique), -np.inf), np.ones(len(unique))))
        # y_p - Σ x_p ≤ 0: a participant counts as seated only with a seat
        # Σ x_p - y_p ≤ attainable_p - 1: at most as many seats as asked for (with y_p ≤ 1);
        # tighter than Σ x_p ≤ attainable_p, which makes the relaxations nearly integral
        rows = np.concatenate([self.owner, np.arange(n_p)])
        columns = np.arange(n_x + n_p)
        seated = sparse.csr_array(
            (np.concatenate([-np.ones(n_x), np.ones(n_p)]), (rows, columns)),
            shape=(n_p, n_x + n_p),
        )
        blocks.append((seated, np.full(n_p, -np.inf), np.zeros(n_p)))
        attainable = np.array(self.attainable, dtype=float)
        blocks.append((-seated, np.full(n_p, -np.inf), attainable - 1))
        return blocks

    def _objectives(self):
        """The lexicographic objectives in order, as coefficient vectors to maximise."""
        n_x, n_p = self.n_x, self.n_p
        yield np.concatenate([np.zeros(n_x), np.ones(n_p)])
        yield np.concatenate([np.ones(n_x), np.zeros(n_p)])
        for rank in range(1, int(self.rank.max(initial=0)) + 1):
            yield np.concatenate([(self.rank == rank).astype(float), np.zeros(n_p)])

    def solve(self, seed: int, *, method: str) -> tuple[np.ndarray, str]:
        """The chosen x as a boolean vector, and the method that found it."""
        if self.n_x == 0:
            return np.zeros(0, dtype=bool), method
        if method == "faces":
            try:
                return self._run(seed, _OptimalFaces(self)), "faces"
            except _NotIntegral:
                pass  # numerically unclear: the MILP sequence decides
        return self._run(seed, _MilpSequence(self)), "milp"

    def _run(self, seed: int, solver) -> np.ndarray:
        objectives = self._objectives()
        for objective in itertools.islice(objectives, 2):
            values = solver.maximise(objective)
        seats_left = round(float(objective @ values))
        for objective in objectives:
            if seats_left == 0:
                break  # every seat is accounted for by the ranks so far: the rest are zero
            values = solver.maximise(objective)
            seats_left -= round(float(objective @ values))
        weights = np.random.default_rng(seed).random(self.n_x)
        values = solver.maximise(np.concatenate([weights, np.zeros(self.n_p)]), last=True)
        return values[: self.n_x] > 0.5

    def matrix(self) -> tuple[sparse.csr_array, np.ndarray]:
        """The base constraints as A v ≤ b."""
        matrix = sparse.vstack([block for block, _lb, _ub in self.base], format="csr")
        return matrix, np.concatenate([ub for _b, _lb, ub in self.base])

    def result(self, chosen: np.ndarray, seed: int, method: str) -> Allocation:
        assigned_sets = [set() for _p in self.participants]
        for index in np.flatnonzero(chosen):
            assigned_sets[self.owner[index]].add(self.workshops[self.workshop_index[index]].id)
        fill = {workshop.id: 0 for workshop in self.workshops}
        for chosen_set in assigned_sets:
            for workshop in chosen_set:
                fill[workshop] += 1
        assignments, outcomes, by_rank = {}, {}, {}
        fewer, without = [], []
        for p_index, participant in enumerate(self.participants):
            ranking = self.rankings[p_index]
            got = assigned_sets[p_index]
            assigned = tuple(w for w in ranking if w in got)
            ranks = tuple(position + 1 for position, w in enumerate(ranking) if w in got)
            # the rank of the workshop held in each round
            held = {self.by_id[w].round: r for w, r in zip(assigned, ranks, strict=True)}
            held.pop(None, None)
            worst = max(ranks, default=0)
            missed = []
            for position, workshop in enumerate(ranking):
                if workshop in got:
                    continue
                rank = position + 1
                if held.get(self.by_id[workshop].round, rank) < rank:
                    reason = Reason.SAME_ROUND  # they hold a better choice in that round
                elif len(assigned) >= self.attainable[p_index] and rank > worst:
                    reason = Reason.ENOUGH  # they hold as many as asked, all of them better
                else:
                    # any other case contradicts the optimum unless every seat is taken
                    reason = Reason.FULL
                missed.append(Missed(rank=rank, workshop=workshop, reason=reason))
            for rank in ranks:
                by_rank[rank] = by_rank.get(rank, 0) + 1
            outcome = Outcome(
                ranking=ranking,
                wanted=self.wanted[p_index],
                attainable=self.attainable[p_index],
                assigned=assigned,
                ranks=ranks,
                missed=tuple(missed),
            )
            outcomes[participant] = outcome
            assignments[participant] = list(assigned)
            if not assigned:
                without.append(participant)
            elif outcome.got_fewer_than_wanted:
                fewer.append(participant)
        statistics = Statistics(
            seed=seed,
            participants=len(self.participants),
            seats_wanted=sum(self.attainable),
            seats_assigned=sum(fill.values()),
            by_rank=dict(sorted(by_rank.items())),
            fewer_than_wanted=tuple(fewer),
            without_seat=tuple(without),
            workshops={
                w.id: WorkshopFill(round=w.round, capacity=w.capacity, assigned=fill[w.id])
                for w in self.workshops
            },
        )
        return Allocation(
            seed=seed,
            assignments=assignments,
            statistics=statistics,
            outcomes=outcomes,
            method=method,
        )


class _NotIntegral(Exception):
    pass


def _failed(result) -> AllocationError:
    return AllocationError(
        _("The allocation could not be computed (%(reason)s).") % {"reason": result.message}
    )


class _MilpSequence:
    """Each objective one MILP; the optima found so far are constraints of the next one."""

    def __init__(self, problem: _Problem):
        self.problem = problem
        self.matrix, self.upper = problem.matrix()
        self.fixed = []  # (coefficients, optimum)
        self.integrality = np.concatenate([np.ones(problem.n_x), np.zeros(problem.n_p)])

    def maximise(self, objective, *, last=False) -> np.ndarray:
        matrix, lower, upper = self.matrix, np.full(len(self.upper), -np.inf), self.upper
        if self.fixed:
            kept = sparse.csr_array(np.vstack([coefficients for coefficients, _v in self.fixed]))
            matrix = sparse.vstack([matrix, kept], format="csr")
            # integral objectives: ≥ optimum - ½ is ≥ optimum, without a floating-point edge
            lower = np.concatenate([lower, [value - 0.5 for _c, value in self.fixed]])
            upper = np.concatenate([upper, np.full(len(self.fixed), np.inf)])
        result = milp(
            -objective,
            integrality=self.integrality,
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(matrix, lower, upper),
            options={"mip_rel_gap": 1e-9 if last else 0.0, "disp": False},
        )
        if result.status != 0 or result.x is None:
            raise _failed(result)
        if not last:
            self.fixed.append((objective, round(float(objective @ result.x))))
        return result.x


class _OptimalFaces:
    """Each objective maximised over exactly the solutions optimal for the ones before.

    The linear relaxation is solved (HiGHS dual simplex) and, when its optimum is integral,
    that optimum is the MILP's too. Complementary slackness with the optimal dual then
    describes *every* optimal solution: variables with a non-zero reduced cost stay at their
    bound, constraints with a non-zero dual stay tight. The constraints are those of a flow
    network (workshop capacities; per participant their rounds and their number of seats),
    so the relaxations on these faces have integral optima; a result that is not integral,
    or that loses an earlier optimum, raises :class:`_NotIntegral` and the MILP sequence
    decides instead.
    """

    TOLERANCE = 1e-7

    def __init__(self, problem: _Problem):
        self.problem = problem
        self.matrix, self.upper = problem.matrix()
        self.columns = self.matrix.tocsc()
        n = problem.n_x + problem.n_p
        self.low, self.high = np.zeros(n), np.ones(n)
        self.equal = np.zeros(self.matrix.shape[0], dtype=bool)
        self.kept = []  # (coefficients, optimum)

    def maximise(self, objective, *, last=False) -> np.ndarray:
        free = self.low < self.high
        values = self.low.copy()
        if not free.any():
            return values  # the earlier objectives left one solution
        offset = self.columns[:, ~free] @ self.low[~free]
        sub = self.columns[:, free].tocsr()
        rows = np.diff(sub.indptr) > 0
        rhs = self.upper - offset
        inequality, equality = rows & ~self.equal, rows & self.equal
        result = linprog(
            -objective[free],
            A_ub=sub[inequality] if inequality.any() else None,
            b_ub=rhs[inequality] if inequality.any() else None,
            A_eq=sub[equality] if equality.any() else None,
            b_eq=rhs[equality] if equality.any() else None,
            bounds=(0, 1),
            method="highs-ds",
        )
        if result.status != 0 or result.x is None:
            raise _failed(result)
        values[free] = result.x
        x = values[: self.problem.n_x]
        if np.abs(x - np.round(x)).max(initial=0) > 1e-6:
            raise _NotIntegral
        optimum = float(objective @ values)
        if not last and abs(optimum - round(optimum)) > 1e-6:
            raise _NotIntegral
        for coefficients, kept in self.kept:
            if abs(float(coefficients @ values) - kept) > 1e-6:
                raise _NotIntegral
        if last:
            return values
        self.kept.append((objective, round(optimum)))
        # restrict to the optimal face
        index = np.flatnonzero(free)
        at_low = index[result.lower.marginals > self.TOLERANCE]
        at_high = index[result.upper.marginals < -self.TOLERANCE]
        self.high[at_low] = self.low[at_low]
        self.low[at_high] = self.high[at_high]
        if inequality.any():
            tight = np.flatnonzero(inequality)[result.ineqlin.marginals < -self.TOLERANCE]
            self.equal[tight] = True
        return values
