"""The preference allocation (meetings.allocation): optimal, within the rules, reproducible."""

import itertools
import random
from functools import cache

import pytest
from django.utils import translation

from meetings.allocation import AllocationError, Reason, WorkshopSpec, allocate

# --- brute force ---------------------------------------------------------------------------


def _options(ranking, rounds, wanted):
    """Every set of workshops a participant could get: ranked, ≤ wanted, ≤ one per round."""
    options = []
    for size in range(wanted + 1):
        for chosen in itertools.combinations(ranking, size):
            timed = [rounds[w] for w in chosen if rounds[w] is not None]
            if len(timed) == len(set(timed)):
                options.append(chosen)
    return options


def brute_force_optimum(instance):
    """The best (seated, seats, #1st, #2nd, …) over every feasible allocation, exhaustively.

    Walks the participants one by one trying each of their options; the remaining capacities
    are the only state that matters for the rest, so equal states are searched once.
    """
    workshops, preferences, wanted = instance
    ids = [w.id for w in workshops]
    rounds = {w.id: w.round for w in workshops}
    participants = list(preferences)
    depth = max(len(r) for r in preferences.values())
    options = [_options(preferences[p], rounds, wanted.get(p, 2)) for p in participants]

    @cache
    def best(index, capacities):
        if index == len(participants):
            return (0,) * (depth + 2)
        ranking = preferences[participants[index]]
        result = None
        for chosen in options[index]:
            left = list(capacities)
            for workshop in chosen:
                left[ids.index(workshop)] -= 1
            if min(left, default=0) < 0:
                continue
            rest = best(index + 1, tuple(left))
            counts = [0] * depth
            for workshop in chosen:
                counts[ranking.index(workshop)] += 1
            value = (int(bool(chosen)), len(chosen), *counts)
            total = tuple(a + b for a, b in zip(value, rest, strict=True))
            if result is None or total > result:
                result = total
        return result

    return best(0, tuple(w.capacity for w in workshops))


def achieved(allocation, instance):
    _workshops, preferences, _wanted = instance
    depth = max(len(r) for r in preferences.values())
    counts = [allocation.statistics.by_rank.get(rank, 0) for rank in range(1, depth + 1)]
    seated = sum(1 for got in allocation.assignments.values() if got)
    seats = sum(len(got) for got in allocation.assignments.values())
    return (seated, seats, *counts)


def random_instance(rng, *, participants, workshops, rounds=2, max_capacity=3):
    timed = rng.random() < 0.8
    specs = [
        WorkshopSpec(
            id=f"W{index}",
            round=rng.randint(1, rounds) if timed else None,
            capacity=rng.randint(1, max_capacity),
        )
        for index in range(workshops)
    ]
    ids = [spec.id for spec in specs]
    preferences, wanted = {}, {}
    for number in range(participants):
        ranking = rng.sample(ids, rng.randint(1, len(ids)))
        preferences[f"P{number}"] = ranking
        if rng.random() < 0.7:
            wanted[f"P{number}"] = rng.randint(1, 2)
    return specs, preferences, wanted


@pytest.fixture(scope="module")
def small_instances():
    """300 small random instances: each allocated both ways, with its brute-force optimum."""
    rng = random.Random(20260911)
    results = []
    for number in range(300):
        instance = random_instance(rng, participants=rng.randint(1, 8), workshops=rng.randint(1, 4))
        workshops, preferences, wanted = instance
        optimum = brute_force_optimum(instance)
        for method in ("faces", "milp"):
            allocation = allocate(
                workshops=workshops,
                preferences=preferences,
                wanted=wanted,
                seed=number,
                method=method,
            )
            assert_within_the_rules(allocation, workshops, preferences, wanted)
            results.append((instance, allocation, optimum))
    return results


def test_most_participants_get_at_least_one_seat(small_instances):
    for instance, allocation, optimum in small_instances:
        assert achieved(allocation, instance)[0] == optimum[0], instance


def test_then_most_seats_up_to_what_each_asked_for(small_instances):
    for instance, allocation, optimum in small_instances:
        assert achieved(allocation, instance)[:2] == optimum[:2], instance


def test_then_most_first_choices_then_second_choices_and_so_on(small_instances):
    for instance, allocation, optimum in small_instances:
        assert achieved(allocation, instance) == optimum, instance


def test_the_fast_path_decides_almost_always(small_instances):
    faces = [a for _i, a, _o in small_instances if a.method == "faces"]
    assert len(faces) >= 0.9 * len(small_instances) / 2


def test_instances_include_scarce_seats(small_instances):
    """The brute-force comparison is only worth something when seats run short."""
    short = sum(1 for _i, a, _o in small_instances if a.statistics.without_seat)
    fewer = sum(1 for _i, a, _o in small_instances if a.statistics.fewer_than_wanted)
    assert short >= 30 and fewer >= 30


# --- constraints on large instances ---------------------------------------------------------


def assert_within_the_rules(allocation, workshops, preferences, wanted, max_per_person=2):
    by_id = {w.id: w for w in workshops}
    taken = dict.fromkeys(by_id, 0)
    assert set(allocation.assignments) == set(preferences)
    for participant, got in allocation.assignments.items():
        assert len(got) == len(set(got)), participant
        assert set(got) <= set(preferences[participant]), participant
        assert len(got) <= wanted.get(participant, max_per_person), participant
        rounds = [by_id[w].round for w in got if by_id[w].round is not None]
        assert len(rounds) == len(set(rounds)), participant
        for workshop in got:
            taken[workshop] += 1
    for workshop_id, count in taken.items():
        assert count <= by_id[workshop_id].capacity
        assert allocation.statistics.workshops[workshop_id].assigned == count
    # every reason given is true
    for participant, outcome in allocation.outcomes.items():
        for missed in outcome.missed:
            if missed.reason == Reason.FULL:
                assert taken[missed.workshop] == by_id[missed.workshop].capacity, participant


@pytest.mark.parametrize("seed", [1, 2])
def test_large_random_instances_never_break_a_rule(seed):
    rng = random.Random(seed)
    workshops, preferences, wanted = random_instance(
        rng, participants=300, workshops=12, rounds=3, max_capacity=40
    )
    allocation = allocate(workshops=workshops, preferences=preferences, wanted=wanted, seed=seed)
    assert_within_the_rules(allocation, workshops, preferences, wanted)
    assert allocation.statistics.seats_assigned == sum(
        len(got) for got in allocation.assignments.values()
    )
    # the MILP sequence reaches the same optima
    reference = allocate(
        workshops=workshops, preferences=preferences, wanted=wanted, seed=seed, method="milp"
    )
    instance = (workshops, preferences, wanted)
    assert achieved(allocation, instance) == achieved(reference, instance)


def test_a_participant_without_any_seat_is_listed():
    workshops = [WorkshopSpec("A", 1, 1)]
    allocation = allocate(workshops=workshops, preferences={"anna": ["A"], "ben": ["A"]}, seed=1)
    assert sorted(allocation.assignments.values()) == [[], ["A"]]
    assert len(allocation.statistics.without_seat) == 1
    assert allocation.as_dict()["statistics"]["participants_without_seat"] == 1


# --- the order of the objectives -----------------------------------------------------------


def test_a_second_seat_never_costs_another_participant_their_only_one():
    # Anna could have A and B; Ben only wants A: Ben's one seat goes before Anna's second.
    workshops = [WorkshopSpec("A", 1, 1), WorkshopSpec("B", 2, 1)]
    allocation = allocate(
        workshops=workshops, preferences={"anna": ["A", "B"], "ben": ["A"]}, seed=0
    )
    assert allocation.assignments == {"anna": ["B"], "ben": ["A"]}


def test_one_first_choice_is_not_traded_for_two_later_choices():
    # anna: A then B; ben: B then C; carla: C. Capacity 1 each, one workshop each.
    # Everybody is seated either way; the first choices count before the second ones.
    workshops = [WorkshopSpec("A", None, 1), WorkshopSpec("B", None, 1), WorkshopSpec("C", None, 1)]
    preferences = {"anna": ["A", "B"], "ben": ["B", "C"], "carla": ["C", "A"]}
    wanted = {"anna": 1, "ben": 1, "carla": 1}
    allocation = allocate(workshops=workshops, preferences=preferences, wanted=wanted, seed=0)
    assert allocation.assignments == {"anna": ["A"], "ben": ["B"], "carla": ["C"]}
    assert allocation.statistics.by_rank == {1: 3}


def test_explanation_names_the_choices_got_and_why_the_others_not():
    workshops = [
        WorkshopSpec("Digitale Stadt", 1, 1),
        WorkshopSpec("Homeoffice", 1, 5),
        WorkshopSpec("Dörfer", 2, 5),
    ]
    preferences = {
        "anna": ["Homeoffice", "Digitale Stadt", "Dörfer"],
        "ben": ["Digitale Stadt"],
    }
    allocation = allocate(workshops=workshops, preferences=preferences, seed=0)
    anna = allocation.outcomes["anna"]
    assert anna.assigned == ("Homeoffice", "Dörfer")
    assert anna.ranks == (1, 3)
    assert [(m.rank, m.reason) for m in anna.missed] == [(2, Reason.SAME_ROUND)]
    # with one wanted, the others are "enough"; with the seat taken by ben, it is "full"
    allocation = allocate(
        workshops=workshops,
        preferences={"anna": ["Digitale Stadt", "Dörfer", "Homeoffice"], "ben": ["Digitale Stadt"]},
        wanted={"anna": 1},
        seed=0,
    )
    anna = allocation.outcomes["anna"]
    assert anna.assigned == ("Dörfer",)
    assert [(m.rank, m.reason) for m in anna.missed] == [(1, Reason.FULL), (3, Reason.ENOUGH)]


def test_wanting_more_than_the_ranking_allows_is_not_counted_as_fewer():
    workshops = [WorkshopSpec("A", 1, 3), WorkshopSpec("B", 1, 3)]
    allocation = allocate(workshops=workshops, preferences={"anna": ["A", "B"]}, seed=0)
    outcome = allocation.outcomes["anna"]
    assert (outcome.wanted, outcome.attainable, outcome.assigned) == (2, 1, ("A",))
    assert allocation.statistics.fewer_than_wanted == ()


# --- the seed -------------------------------------------------------------------------------


def tied_instance():
    """Eight participants who all want the same two-seat workshop: every pair is as good."""
    workshops = [WorkshopSpec("A", 1, 2), WorkshopSpec("B", 1, 8)]
    preferences = {f"P{n}": ["A", "B"] for n in range(8)}
    return workshops, preferences


def test_same_seed_same_result():
    workshops, preferences = tied_instance()
    first = allocate(workshops=workshops, preferences=preferences, seed=42)
    again = allocate(workshops=workshops, preferences=preferences, seed=42)
    assert first.assignments == again.assignments
    assert first.seed == again.seed == 42


def test_different_seeds_choose_differently_among_equally_good_results():
    workshops, preferences = tied_instance()
    results = [allocate(workshops=workshops, preferences=preferences, seed=s) for s in range(12)]
    winners = {
        frozenset(p for p, got in result.assignments.items() if got == ["A"]) for result in results
    }
    assert len(winners) > 3
    assert {tuple(sorted(r.statistics.by_rank.items())) for r in results} == {((1, 2), (2, 6))}


def test_without_a_seed_one_is_drawn_and_reported():
    workshops, preferences = tied_instance()
    allocation = allocate(workshops=workshops, preferences=preferences)
    assert isinstance(allocation.seed, int)
    again = allocate(workshops=workshops, preferences=preferences, seed=allocation.seed)
    assert again.assignments == allocation.assignments


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workshops", "preferences", "wanted", "message"),
    [
        ([WorkshopSpec("A", 1, 2)], {"anna": ["A", "A"]}, {}, "ranked the workshop “A” twice"),
        ([WorkshopSpec("A", 1, 2)], {"anna": ["B"]}, {}, "not a workshop of this event"),
        ([WorkshopSpec("A", 1, 0)], {"anna": ["A"]}, {}, "capacity of at least 1"),
        ([WorkshopSpec("A", 1, -3)], {"anna": ["A"]}, {}, "capacity of at least 1"),
        ([WorkshopSpec("A", 1, 2)], {"anna": ["A"]}, {"anna": 3}, "allowed are 1 to 2"),
        ([WorkshopSpec("A", 1, 2)], {"anna": []}, {}, "has ranked no workshop"),
        ([WorkshopSpec("A", 1, 2), WorkshopSpec("A", 2, 2)], {"anna": ["A"]}, {}, "listed twice"),
        ([WorkshopSpec("A", 0, 2)], {"anna": ["A"]}, {}, "must be 1, 2, … or empty"),
    ],
)
def test_bad_input_is_refused_with_a_message(workshops, preferences, wanted, message):
    with translation.override("en"), pytest.raises(AllocationError, match=message):
        allocate(workshops=workshops, preferences=preferences, wanted=wanted, seed=1)


def test_bad_input_message_is_german_by_default():
    with translation.override("de"), pytest.raises(AllocationError) as raised:
        allocate(workshops=[WorkshopSpec("A", 1, 2)], preferences={"anna": ["A", "A"]}, seed=1)
    assert "zweimal" in raised.value.message
