"""The portal search at size: 5,000 project profiles, 20,000 posts, 2,000 meetings.

    DATABASE_URL=postgres://…/any SECRET_KEY=x python -m bench.search   # PostgreSQL
    python -m bench.search                                             # embedded SQLite

On PostgreSQL the data set is built in a throwaway database next to the one in DATABASE_URL
(``<name>_bench_search`` or ``BENCH_DB_NAME``, dropped at the end; ``BENCH_KEEP=1`` keeps
it, ``BENCH_REUSE=1`` measures it again). Seeds the records
with ``bulk_create`` (German text from a small vocabulary, a few words rare, some common),
times ``manage.py rebuild_search_index``, then prints for each query the p50/p95 of the whole
``/suche/`` page (in-process, test client, ``RUNS`` runs) for a visitor and a member, its query
count, and the same for the reference measured in the same run: the news list's own full-text
search ``/neuigkeiten/?q=…`` (no index: it computes the vectors of 20,000 posts per request).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

PROFILES = int(os.environ.get("BENCH_PROJECTS", "5000"))
POSTS = int(os.environ.get("BENCH_POSTS", "20000"))
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
QUERIES = [
    "Sensornetze",  # rare: 1 in 50 texts, German plural of the stored "Sensornetz"
    "Laternen",  # common: 1 in 5
    "Beteiligung",  # compound prefix: Beteiligungsplattform, Beteiligung
    "Glasfaser Förderung",  # two words
    '"offene Daten"',  # phrase
    "Zeppelinhafen",  # nothing
]
WORDS = [
    "Verwaltung",
    "Digitalisierung",
    "Bürgerportal",
    "Onlinedienst",
    "Antrag",
    "Formular",
    "Rathaus",
    "Stadtrat",
    "Kreisverwaltung",
    "Ortsgemeinde",
    "Verbandsgemeinde",
    "Landkreis",
    "Haushalt",
    "Förderung",
    "Förderprogramm",
    "Glasfaser",
    "Breitband",
    "Mobilfunk",
    "Schule",
    "Tablet",
    "Kita",
    "Anmeldung",
    "Terminbuchung",
    "Bürgerbüro",
    "Parkplatz",
    "Verkehr",
    "Ampel",
    "Radweg",
    "Bus",
    "Fahrplan",
    "Klima",
    "Energie",
    "Wärme",
    "Photovoltaik",
    "Solar",
    "Wasser",
    "Pegel",
    "Hochwasser",
    "Starkregen",
    "Warnung",
    "Feuerwehr",
    "Katastrophenschutz",
    "Krisenstab",
    "Daten",
    "Datenportal",
    "Dashboard",
    "Karte",
    "Geodaten",
    "Vermessung",
    "Bauantrag",
    "Bauamt",
    "Friedhof",
    "Bibliothek",
    "Museum",
    "Tourismus",
    "Veranstaltung",
    "Markt",
    "Wirtschaft",
    "Gewerbe",
    "Einzelhandel",
    "Innenstadt",
    "Leerstand",
    "Quartier",
    "Nachbarschaft",
    "Senioren",
    "Jugend",
    "Ehrenamt",
    "Verein",
    "Sport",
    "Schwimmbad",
    "Abfall",
    "Müll",
    "Wertstoff",
    "Straßenreinigung",
    "Winterdienst",
    "Grünflächen",
    "Bäume",
    "Spielplatz",
]
RARE = "Sensornetz"
COMMON = "Laternen"


def _throwaway_database() -> str | None:
    """Create ``<name>_bench_search`` beside DATABASE_URL's database; return its URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urlsplit(url)
    name = os.environ.get("BENCH_DB_NAME") or parts.path.lstrip("/") + "_bench_search"
    admin = urlunsplit(parts._replace(path="/postgres"))
    if not os.environ.get("BENCH_REUSE"):  # BENCH_REUSE=1: the data set kept by BENCH_KEEP=1
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    return name


def _drop(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _text(rng: random.Random, n: int, *, extra: list[str]) -> str:
    words = rng.choices(WORDS, k=n) + extra
    rng.shuffle(words)
    return " ".join(words) + "."


def _extra(rng: random.Random) -> list[str]:
    words = []
    if rng.random() < 0.02:
        words.append(RARE)
    if rng.random() < 0.2:
        words.append(COMMON)
    if rng.random() < 0.05:
        words.append(rng.choice(["Beteiligung", "Beteiligungsplattform", "Bürgerbeteiligung"]))
    if rng.random() < 0.05:
        words += ["offene", "Daten"]
    return words


def seed() -> None:
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from members.models import Municipality, Topic
    from news.models import Post
    from projects.models import ProjectProfile

    rng = random.Random(13)
    now = timezone.now()
    places = Municipality.objects.bulk_create(
        Municipality(name=f"Benchstadt {n}", slug=f"bench-{n}", kind="stadt", ags=f"0799{n:04d}")
        for n in range(30)
    )
    topics = list(Topic.objects.filter(is_active=True)[:8]) or [
        Topic.objects.create(slug=f"bench-thema-{n}", name=f"Benchthema {n}") for n in range(8)
    ]
    ProjectProfile.objects.bulk_create(
        (
            ProjectProfile(
                municipality=places[n % 30],
                title=" ".join(rng.choices(WORDS, k=3) + _extra(rng)[:1]),
                slug=f"bench-projekt-{n}",
                summary=_text(rng, 20, extra=_extra(rng)),
                description=_text(rng, 150, extra=_extra(rng)),
                field_of_action="infrastructure",
                stage="operation",
                visibility="public" if n % 2 else "members",
                status="published" if n % 2 else "draft",
                published_at=now if n % 2 else None,
            )
            for n in range(PROFILES)
        ),
        batch_size=1000,
    )
    posts = Post.objects.bulk_create(
        (
            Post(
                municipality=places[n % 30],
                title=" ".join(rng.choices(WORDS, k=5) + _extra(rng)[:1]),
                slug=f"bench-beitrag-{n}",
                teaser=_text(rng, 25, extra=_extra(rng)),
                body=_text(rng, 200, extra=_extra(rng)),
                status="published" if n % 10 else "draft",
                published_at=now - timedelta(hours=n),
            )
            for n in range(POSTS)
        ),
        batch_size=1000,
    )
    Post.topics.through.objects.bulk_create(
        (Post.topics.through(post_id=p.pk, topic_id=topics[i % 8].pk) for i, p in enumerate(posts)),
        batch_size=5000,
    )
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                title=" ".join(["Stammtisch", *rng.choices(WORDS, k=2)]),
                slug=f"bench-treffen-{n}",
                start=now - timedelta(days=n),
                end=now - timedelta(days=n) + timedelta(hours=2),
                status="held",
                is_public=bool(n % 4),
                description=_text(rng, 40, extra=_extra(rng)),
                minutes=_text(rng, 300, extra=_extra(rng)),
                minutes_status="approved",
            )
            for n in range(MEETINGS)
        ),
        batch_size=1000,
    )
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=meeting,
                position=k,
                title=" ".join(rng.choices(WORDS, k=3) + _extra(rng)[:1]),
                description=_text(rng, 30, extra=_extra(rng)),
                speaker_municipality=places[(i + k) % 30],
            )
            for i, meeting in enumerate(meetings)
            for k in range(2)
        ),
        batch_size=2000,
    )


def timed(function) -> tuple[float, float]:
    values = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function()
        values.append((time.perf_counter() - started) * 1000)
    values.sort()
    return statistics.median(values), values[max(0, int(len(values) * 0.95) - 1)]


def page(client, path: str):
    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    return get


def main() -> None:
    throwaway = _throwaway_database()
    from bench.harness import query_count, setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ikone.models import SearchDocument
    from members.models import Contact, Municipality

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        if not SearchDocument.objects.exists():
            started = time.perf_counter()
            seed()
            seeded = time.perf_counter() - started
            started = time.perf_counter()
            call_command("rebuild_search_index", verbosity=0)
            print(
                f"seeded in {seeded:.1f} s, index rebuilt in {time.perf_counter() - started:.1f} s"
            )
            if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(
            f"database: {engine}, {PROFILES} profiles, {POSTS} posts, {MEETINGS} meetings"
            f" (+{2 * MEETINGS} agenda items, {MEETINGS} minutes):"
            f" {SearchDocument.objects.count()} documents; {RUNS} runs each, whole page"
        )
        user = get_user_model().objects.filter(email="bench-suche@bench.example").first()
        if user is None:
            user = get_user_model().objects.create_user(email="bench-suche@bench.example")
            Contact.objects.create(
                municipality=Municipality.objects.get(slug="bench-1"),
                email=user.email,
                first_name="Bench",
                last_name="Suche",
                user=user,
            )
        visitor, member = Client(), Client()
        member.force_login(user)
        print(f"{'page':<52} {'p50':>8} {'p95':>8} {'queries':>8}")
        for query in QUERIES:
            for label, client in (("visitor", visitor), ("member", member)):
                path = "/suche/?" + urlencode({"q": query})
                page(client, path)()
                p50, p95 = timed(page(client, path))
                queries = query_count(path, client=client)
                print(f"{label + ' ' + path:<52} {p50:6.1f}ms {p95:6.1f}ms {queries:>8}")
        for path in (
            "/suche/?" + urlencode({"q": "Laternen", "kind": "post", "page": "20"}),
            "/suche/?" + urlencode({"q": "Laternen", "municipality": "bench-3", "year": "2026"}),
        ):
            p50, p95 = timed(page(visitor, path))
            print(f"{'visitor ' + path:<52} {p50:6.1f}ms {p95:6.1f}ms {query_count(path):>8}")
        if os.environ.get("BENCH_REFERENCE") == "0":  # 14 s a request: skip it when comparing
            return
        # a member: the anonymous news list comes from the page cache
        reference = "/neuigkeiten/?" + urlencode({"q": "Sensornetze"})
        ref50, ref95 = timed(page(member, reference))
        print(f"{'reference, member ' + reference:<52} {ref50:6.1f}ms {ref95:6.1f}ms")
        ours = "/suche/?" + urlencode({"q": "Sensornetze"})
        our50, _our95 = timed(page(member, ours))
        print(f"/suche/ vs the news list's search (same word, member): {our50 / ref50:.2f}× time")
    finally:
        if throwaway and not os.environ.get("BENCH_KEEP"):
            _drop(throwaway)


if __name__ == "__main__":
    sys.exit(main())
