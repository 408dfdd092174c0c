"""Issue 15 figures: the workshop allocation by preference against first come, first served.

1,000 participants, 12 workshops in 2 rounds, total seats 90 % of what is asked for. Each
participant ranks 3 to 8 workshops (popular ones more often and higher: a Zipf-like
popularity) and wants 1 or 2 of them. Prints the time to allocate (goal: under 2 s) and, on
the same preferences, the allocation's statistics beside those of first come, first served
(participants in a random registration order, each taking the best-ranked workshops still
free, one per round, up to what they want). No database.

    .venv/bin/python -m bench.allocation [--participants 1000] [--seed 1] [--repeat 3]
        [--no-milp]   (skip timing the MILP sequence, the reference path)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench.harness import setup_django


def instance(participants: int, rng: random.Random):
    from meetings.allocation import WorkshopSpec

    ids = [f"R{round_}-W{number}" for round_ in (1, 2) for number in range(1, 7)]
    popularity = {
        workshop: 1 / (rank + 1) ** 0.8 for rank, workshop in enumerate(rng.sample(ids, 12))
    }
    preferences, wanted = {}, {}
    for number in range(participants):
        count = rng.randint(3, 8)
        pool, ranking = dict(popularity), []
        for _ in range(count):
            choice = rng.choices(list(pool), weights=list(pool.values()))[0]
            ranking.append(choice)
            del pool[choice]
        preferences[f"P{number:04d}"] = ranking
        # wants 2 (one per round) if they ranked both rounds, mostly
        rounds = {workshop[:2] for workshop in ranking}
        wanted[f"P{number:04d}"] = 2 if len(rounds) == 2 and rng.random() < 0.75 else 1
    demand = sum(wanted.values())
    seats = round(demand * 0.9)
    capacities = [seats // 12 + (1 if index < seats % 12 else 0) for index in range(12)]
    workshops = [
        WorkshopSpec(id=workshop, round=int(workshop[1]), capacity=capacity)
        for workshop, capacity in zip(ids, capacities, strict=True)
    ]
    return workshops, preferences, wanted, demand


def first_come_first_served(workshops, preferences, wanted, rng: random.Random):
    """participant → workshops, taking seats in a random registration order."""
    free = {w.id: w.capacity for w in workshops}
    round_of = {w.id: w.round for w in workshops}
    order = list(preferences)
    rng.shuffle(order)
    result = {}
    for participant in order:
        got, rounds = [], set()
        for workshop in preferences[participant]:
            if len(got) == wanted[participant]:
                break
            if free[workshop] and round_of[workshop] not in rounds:
                free[workshop] -= 1
                got.append(workshop)
                rounds.add(round_of[workshop])
        result[participant] = got
    return result


def figures(assignments, preferences):
    participants = len(preferences)
    seats = sum(len(got) for got in assignments.values())
    by_rank: dict[int, int] = {}
    first = 0
    for participant, got in assignments.items():
        ranks = [preferences[participant].index(workshop) + 1 for workshop in got]
        for rank in ranks:
            by_rank[rank] = by_rank.get(rank, 0) + 1
        first += 1 in ranks
    return {
        "with a seat": sum(1 for got in assignments.values() if got) / participants,
        "got their 1st choice": first / participants,
        "seats that are 1st choices": by_rank.get(1, 0) / seats if seats else 0.0,
        "seats": seats,
        "by rank": dict(sorted(by_rank.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-milp", action="store_true")
    args = parser.parse_args()
    setup_django(migrate=False)
    from meetings.allocation import allocate

    rng = random.Random(args.seed)
    workshops, preferences, wanted, demand = instance(args.participants, rng)
    seats = sum(w.capacity for w in workshops)
    variables = sum(len(r) for r in preferences.values())
    print(
        f"{len(preferences)} participants × {len(workshops)} workshops × 2 rounds; "
        f"{variables} ranked (participant, workshop) pairs; "
        f"{demand} seats asked for, {seats} available ({seats / demand:.0%})"
    )

    times, allocation = [], None
    for _ in range(args.repeat):
        started = time.perf_counter()
        allocation = allocate(
            workshops=workshops, preferences=preferences, wanted=wanted, seed=args.seed
        )
        times.append(time.perf_counter() - started)
    print(
        f"allocate() [{allocation.method}]: median {statistics.median(times):.2f} s, "
        f"best {min(times):.2f} s of {args.repeat} (goal < 2 s)"
    )
    if not args.no_milp:
        started = time.perf_counter()
        reference = allocate(
            workshops=workshops,
            preferences=preferences,
            wanted=wanted,
            seed=args.seed,
            method="milp",
        )
        elapsed = time.perf_counter() - started
        same = reference.statistics.by_rank == allocation.statistics.by_rank and len(
            reference.statistics.without_seat
        ) == len(allocation.statistics.without_seat)
        print(
            f"allocate(method='milp') (the MILP sequence): {elapsed:.2f} s, "
            f"same optima: {'yes' if same else 'NO'}"
        )

    optimal = figures(allocation.assignments, preferences)
    fcfs_runs = [
        figures(
            first_come_first_served(workshops, preferences, wanted, random.Random(n)), preferences
        )
        for n in range(20)
    ]
    print()
    print(f"{'':32} {'allocation':>12} {'FCFS (mean of 20 orders)':>26}")
    for key in ("with a seat", "got their 1st choice", "seats that are 1st choices"):
        fcfs = statistics.mean(run[key] for run in fcfs_runs)
        print(f"{key:32} {optimal[key]:>12.1%} {fcfs:>26.1%}")
    fcfs_seats = statistics.mean(run["seats"] for run in fcfs_runs)
    print(f"{'seats given':32} {optimal['seats']:>12} {fcfs_seats:>26.0f}")
    print(f"allocation by rank: {optimal['by rank']}")
    print(f"FCFS by rank (first order): {fcfs_runs[0]['by rank']}")


if __name__ == "__main__":
    main()
