"""``manage.py allocate_workshops``: the preference allocation offline, without the database.

For preferences a coordinator collected elsewhere; the admin uses the same service
(:func:`meetings.allocation.allocate`). Prints the result as JSON on standard output.
"""

import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.allocation import MAX_SEED, AllocationError, allocate
from meetings.allocation_csv import read_preferences, read_wanted, read_workshops


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        seed = -1
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 0: {value!r}")
    return seed


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Allocate workshop seats by ranked preference (optimal, reproducible by the seed) "
        "from CSV files, touching no database; prints JSON."
    )
    # nothing here needs the project's checks, and nothing may open a database connection
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--workshops", required=True, type=Path, help="CSV: workshop,round,capacity"
        )
        parser.add_argument(
            "--preferences", required=True, type=Path, help="CSV: participant,workshop,rank"
        )
        parser.add_argument(
            "--wanted", type=Path, help="CSV: participant,wanted (default --max-per-person)"
        )
        parser.add_argument("--max-per-person", type=_positive, default=2)
        parser.add_argument(
            "--seed", type=_seed, help="Tie-break seed; a new one is drawn and printed if absent."
        )

    def handle(self, *args, workshops, preferences, wanted, max_per_person, seed, **options):
        try:
            workshop_specs = read_workshops(workshops)
            ranking = read_preferences(preferences, workshops=workshop_specs)
            wanted_counts = (
                read_wanted(wanted, preferences=ranking, max_per_person=max_per_person)
                if wanted
                else {}
            )
            allocation = allocate(
                workshops=workshop_specs,
                preferences=ranking,
                wanted=wanted_counts,
                max_per_person=max_per_person,
                seed=seed,
            )
        except AllocationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(allocation.as_dict(), ensure_ascii=False, indent=2))
