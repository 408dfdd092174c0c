"""Issue 2 figures: the homepage and the public member list against a trivial view.

Seeds 30 and then 3,000 member municipalities (bulk_create) into a database of its own,
prints the queries each page needs (they must not grow with the data) and requests per
second under gunicorn with 2 workers, next to Django's trivial view in the same run.

    .venv/bin/python -m bench.foundation [--seconds 10] [--connections 32]
"""

import argparse
from datetime import date

from bench.harness import BENCH_VAR, load, query_count, row, serve, setup_django, warm

VAR = BENCH_VAR / "foundation"
# "testserver": the query counts go through the test client in this process.
ENV = {"IKONE_VAR_DIR": str(VAR), "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
PAGES = [("homepage /", "/"), ("member list /mitglieder/", "/mitglieder/")]


def reset_database() -> None:
    for name in ("ikone.sqlite3", "ikone.sqlite3-wal", "ikone.sqlite3-shm"):
        (VAR / name).unlink(missing_ok=True)


def seed(count: int) -> None:
    """Replace all municipalities by ``count`` members, a third of them with topics."""
    from members.models import Municipality, Topic

    Municipality.objects.all().delete()
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"Musterstadt {number:05d}",
            slug=f"musterstadt-{number:05d}",
            kind=Municipality.Kind.TOWN,
            district=f"Landkreis {number % 24}",
            ags=f"07{number:06d}",
            website=f"https://www.musterstadt-{number}.example",
            member_since=date(2019 + number % 7, 1 + number % 12, 1),
        )
        for number in range(count)
    )
    topics = list(Topic.objects.all()[:3])
    through = Municipality.topics.through
    through.objects.bulk_create(
        through(municipality_id=m.pk, topic_id=t.pk) for m in municipalities[::3] for t in topics
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    reset_database()
    setup_django(ENV)

    for count in (30, 3000):
        seed(count)
        print(f"\n--- {count} member municipalities")
        for label, path in PAGES:
            print(f"queries {label:<28} {query_count(path)}")
        with serve(workers=2, env=ENV) as base_url:
            for _label, path in [("trivial", "/bench/trivial/"), *PAGES]:
                warm(base_url + path)
            trivial = load(
                base_url + "/bench/trivial/", seconds=args.seconds, connections=args.connections
            )
            print(row("trivial view", trivial))
            for label, path in PAGES:
                result = load(base_url + path, seconds=args.seconds, connections=args.connections)
                print(row(label, result, trivial))


if __name__ == "__main__":
    main()
