"""The portal's pages against a bare Django view that runs outside the project.

    python -m bench.bare            # embedded SQLite, local-memory cache per worker
    DATABASE_URL=... REDIS_URL=... SECRET_KEY=x python -m bench.bare   # production shape

Starts, in the same run and with the same gunicorn options (2 sync workers), the bare
project ``bench.bareapp`` (its own settings: no apps, no database, three middlewares, one
view returning a small HTML page) and the portal with 10,000 published posts. Then, for
BENCH_ROUNDS rounds (7), each page — the anonymous homepage and news list with the cache
warm, the logged-in member start page — is loaded for BENCH_SECONDS (4 s, 32 connections)
right next to the bare view (order flipping every round), and its requests/s divided by
that bare figure: the shared machine's speed drifts within a minute. Also the CPU time the
gunicorn processes used per request (from /proc), which other load on the machine disturbs
less. Prints every pair and the median ratios.
"""

import os
import statistics
import urllib.request

from bench.harness import (
    load_measuring_cpu,
    query_count,
    row,
    serve,
    serve_bare,
    setup_django,
    warm,
)
from bench.news import seed

SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
CONNECTIONS = 32
MEMBER_EMAIL = "bench-mitglied@example.org"


def member_session() -> tuple:
    """A member login (contact of a member municipality) and its session cookie."""
    from django.conf import settings
    from django.test import Client

    from members.models import Contact, Municipality, User

    municipality = Municipality.objects.filter(slug__startswith="bench-kommune-").first()
    user, _created = User.objects.get_or_create(
        email=MEMBER_EMAIL, defaults={"first_name": "Bench", "last_name": "Mitglied"}
    )
    Contact.objects.get_or_create(
        email=MEMBER_EMAIL,
        defaults={
            "user": user,
            "municipality": municipality,
            "first_name": "Bench",
            "last_name": "Mitglied",
            "position": "Digitalbeauftragte",
        },
    )
    client = Client()
    client.force_login(user)
    return user, {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"}


def check_member_page(url: str, headers: dict) -> None:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        if response.status != 200 or response.geturl() != url:
            raise RuntimeError(f"member page: {response.status} at {response.geturl()}")


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.urls import reverse

    seed()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # for query_count
    user, cookie = member_session()
    member_path = reverse("members:area")
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"queries of the member start page {member_path}: {query_count(member_path, user=user)}"
    )
    with (
        serve_bare() as bare,
        serve(workers=2) as portal,
    ):
        pages = [
            ("homepage (anonymous)", portal + "/", {}),
            ("news list (anonymous)", portal + reverse("news:list"), {}),
            ("member start page", portal + member_path, cookie),
        ]
        warm(bare + "/")
        for _label, url, headers in pages:
            warm(url, headers=headers)
        check_member_page(pages[2][1], cookie)

        # Pairs: each page right next to a bare measurement, the order flipping every
        # round, so that the machine's drift hits both sides of a ratio alike.
        rounds = []
        for number in range(1, ROUNDS + 1):
            results = {}
            print(f"round {number}")
            for label, url, headers in pages:
                pair = [("bare", bare + "/", {}), (label, url, headers)]
                measured = {}
                for name, target, extra in pair if number % 2 else pair[::-1]:
                    measured[name] = load_measuring_cpu(
                        bare if name == "bare" else portal,
                        target,
                        seconds=SECONDS,
                        connections=CONNECTIONS,
                        headers=extra,
                    )
                results[label] = measured[label]["rps"] / measured["bare"]["rps"]
                results[f"{label} cpu"] = measured["bare"]["cpu_ms"] / measured[label]["cpu_ms"]
                for name, shown in (("bare", "bare Django view"), (label, label)):
                    baseline = measured["bare"] if name != "bare" else None
                    print(row(f"  {shown}", measured[name], baseline, "bare")
                          + f"  server CPU {measured[name]['cpu_ms']:.2f} ms/request")  # fmt: skip
            rounds.append(results)

    print(f"median ratio to the adjacent bare view ({ROUNDS} rounds × {SECONDS} s):")
    for label, _url, _headers in pages:
        ratios = sorted(r[label] for r in rounds)
        print(f"  {label:<24} {statistics.median(ratios):.2f}×  (rounds: "
              + ", ".join(f"{ratio:.2f}" for ratio in ratios) + ")")  # fmt: skip
    print("median ratio of server CPU per request, bare / page (less sensitive to the load of")
    print("other processes on the machine; 1.0 = as cheap as the bare view):")
    for label, _url, _headers in pages:
        ratios = sorted(r[f"{label} cpu"] for r in rounds)
        print(f"  {label:<24} {statistics.median(ratios):.2f}×  (rounds: "
              + ", ".join(f"{ratio:.2f}" for ratio in ratios) + ")")  # fmt: skip


if __name__ == "__main__":
    main()
