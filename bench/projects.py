"""The project catalogue at size: 5,000 profiles, the public list, a municipality page, the
open-data API and *Wen fragen?*.

    python -m bench.projects                 # embedded SQLite
    DATABASE_URL=... REDIS_URL=... SECRET_KEY=x python -m bench.projects

Seeds ``BENCH_PROJECTS`` profiles (default 5,000) over 30 municipalities with contact persons
who agreed to be asked and confirmed reuse, ``BENCH_POSTS`` published posts (20,000) and
``BENCH_MEETINGS`` past public meetings (2,000, five talks each), a quarter of the posts and
half the talks by the contact persons (once; then VACUUM ANALYZE, as autovacuum would). Prints
the query counts of the pages, the p50/p95 of *Wen fragen?* (topic and own words, in-process,
50 runs each), and the public list and a municipality page under load (gunicorn, 2 workers,
wrk) for ``BENCH_ROUNDS`` rounds next to the issue's reference, the bare Django view of a
project outside the portal (``bench/bareapp``, as in ``bench.bare``), with the median ratios.
Beside them the layout reference ``/bench/layout/`` (the portal's middleware and base template
around a minimal body: what any uncached page of the portal costs before its own work, and
what that frame alone reaches against the bare view) and the trivial view (a plain "ok"
through the portal's middleware).
"""

import os
import statistics
import time

from bench.harness import (
    load_measuring_cpu,
    query_count,
    row,
    serve,
    serve_bare,
    setup_django,
    warm,
)

PROFILES = int(os.environ.get("BENCH_PROJECTS", "5000"))
POSTS = int(os.environ.get("BENCH_POSTS", "20000"))
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "2000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
RUNS = 50


def seed() -> None:
    from django.utils import timezone

    from members.models import Contact, Municipality, Topic
    from projects.models import AskConsent, ProjectProfile, Reuse, words_of

    if ProjectProfile.objects.filter(slug__startswith="bench-").count() >= PROFILES:
        return
    ProjectProfile.objects.filter(slug__startswith="bench-").delete()
    places = [
        Municipality.objects.get_or_create(
            slug=f"bench-kommune-{n}",
            defaults={"name": f"Benchstadt {n}", "kind": "stadt", "ags": f"0799{n:04d}"},
        )[0]
        for n in range(30)
    ]
    topics = [
        Topic.objects.get_or_create(slug=f"bench-thema-{n}", defaults={"name": f"Benchthema {n}"})[
            0
        ]
        for n in range(8)
    ]
    contacts = [
        Contact.objects.get_or_create(
            email=f"bench-{n}@bench.example",
            defaults={"municipality": places[n], "first_name": "Bench", "last_name": f"P{n}"},
        )[0]
        for n in range(30)
    ]
    for n, contact in enumerate(contacts):
        consent, _created = AskConsent.objects.get_or_create(contact=contact)
        consent.topics.set(topics[n % 8 : n % 8 + 3])
    now = timezone.now()
    stages = ["idea", "planning", "implementation", "operation", "completed", "stopped"]
    projects = ProjectProfile.objects.bulk_create(
        (
            ProjectProfile(
                municipality=places[n % 30],
                title=f"Benchprojekt {n} Sensornetz und Beteiligung",
                slug=f"bench-{n}",
                summary="Ein Projekt mit Sensoren, Daten und Beteiligung der Bürgerschaft.",
                description="Ein Absatz über **LoRaWAN** und Pegel.\n\n" * 10,
                words=words_of(
                    f"Benchprojekt {n} Sensornetz und Beteiligung",
                    "Ein Projekt mit Sensoren, Daten und Beteiligung der Bürgerschaft.",
                    "Ein Absatz über **LoRaWAN** und Pegel.\n\n" * 10,
                ),
                field_of_action="infrastructure",
                stage=stages[n % 6],
                stage_reason="Zu kompliziert." if n % 6 == 5 else "",
                visibility="public" if n % 2 else "members",
                status="published" if n % 2 else "draft",
                published_at=now if n % 2 else None,
                updated_at=now - timezone.timedelta(days=n % 900),
            )
            for n in range(PROFILES)
        ),
        batch_size=1000,
    )
    through = ProjectProfile.topics.through
    through.objects.bulk_create(
        (
            through(projectprofile_id=p.pk, topic_id=topics[i % 8].pk)
            for i, p in enumerate(projects)
        ),
        batch_size=2000,
    )
    named = ProjectProfile.contacts.through
    named.objects.bulk_create(
        (
            named(projectprofile_id=p.pk, contact_id=contacts[i % 30].pk)
            for i, p in enumerate(projects)
        ),
        batch_size=2000,
    )
    Reuse.objects.bulk_create(
        (
            Reuse(
                project=p,
                municipality=places[(i + 1) % 30],
                contact=contacts[(i + 1) % 30],
                stage="adopted",
                confirmation="confirmed",
            )
            for i, p in enumerate(projects[::10])
        ),
        batch_size=1000,
    )


def seed_activity() -> None:
    """20,000 published posts and 2,000 past public meetings with five talks each, on the
    bench topics; a share of them by the bench contact persons (evidence for *Wen fragen?*)."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from members.models import Contact, Municipality, Topic, User
    from news.models import Post

    places = list(Municipality.objects.filter(slug__startswith="bench-kommune-").order_by("pk"))
    topics = list(Topic.objects.filter(slug__startswith="bench-thema-").order_by("pk"))
    contacts = list(Contact.objects.filter(email__startswith="bench-").order_by("pk"))
    for contact in contacts:
        if contact.user_id is None:
            contact.user = User.objects.get_or_create(
                email=contact.email,
                defaults={"first_name": "Bench", "last_name": contact.last_name},
            )[0]
            contact.save(update_fields=["user"])
        contact.municipality.topics.add(*topics[: 1 + contact.pk % 3])
    now = timezone.now()
    if Post.objects.filter(slug__startswith="bench-wf-").count() < POSTS:
        Post.objects.filter(slug__startswith="bench-wf-").delete()
        posts = Post.objects.bulk_create(
            (
                Post(
                    title=f"Beitrag {n} über Sensornetze im Netzwerk",
                    slug=f"bench-wf-{n}",
                    teaser="Die Mitglieder tauschten sich aus.",
                    body="Ein Absatz.\n\n" * 5,
                    body_html="<p>Ein Absatz.</p>" * 5,
                    municipality=places[n % len(places)],
                    author_id=contacts[n % len(contacts)].user_id if n % 4 == 0 else None,
                    status=Post.Status.PUBLISHED,
                    published_at=now - timedelta(hours=n),
                )
                for n in range(POSTS)
            ),
            batch_size=1000,
        )
        through = Post.topics.through
        through.objects.bulk_create(
            (
                through(post_id=p.pk, topic_id=topics[i % len(topics)].pk)
                for i, p in enumerate(posts)
            ),
            batch_size=2000,
        )
    if Meeting.objects.filter(slug__startswith="bench-wf-").count() < MEETINGS:
        Meeting.objects.filter(slug__startswith="bench-wf-").delete()
        meetings = Meeting.objects.bulk_create(
            (
                Meeting(
                    title=f"Benchtreffen {n}",
                    slug=f"bench-wf-{n}",
                    start=now - timedelta(days=n + 1),
                    end=now - timedelta(days=n + 1) + timedelta(hours=2),
                    status=Meeting.Status.HELD,
                )
                for n in range(MEETINGS)
            ),
            batch_size=1000,
        )
        items = AgendaItem.objects.bulk_create(
            (
                AgendaItem(
                    meeting=meeting,
                    position=i,
                    title=f"Vortrag {i} zu Sensoren",
                    speaker=(
                        contacts[(n + i) % len(contacts)].full_name if i % 2 else "Gast Redner"
                    ),
                    speaker_municipality=contacts[(n + i) % len(contacts)].municipality,
                )
                for n, meeting in enumerate(meetings)
                for i in range(5)
            ),
            batch_size=2000,
        )
        through = AgendaItem.topics.through
        through.objects.bulk_create(
            (
                through(agendaitem_id=item.pk, topic_id=topics[i % len(topics)].pk)
                for i, item in enumerate(items)
            ),
            batch_size=2000,
        )


def timings(label: str, function) -> None:
    values = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function()
        values.append((time.perf_counter() - started) * 1000)
    values.sort()
    p95 = values[int(len(values) * 0.95) - 1]
    print(f"{label:<36} p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms")


def analyze() -> None:
    """Fresh planner statistics after bulk inserts (PostgreSQL would guess one row) and the
    visibility map autovacuum keeps in production (index-only scans rely on it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.STATIC_MANIFEST:
        call_command("collectstatic", interactive=False, verbosity=0)
    seed()
    seed_activity()
    from projects import expertise_index

    started = time.perf_counter()
    items = expertise_index.rebuild()  # bulk_create wrote the records without signals
    print(f"expertise index rebuilt: {items} items in {time.perf_counter() - started:.1f} s")
    analyze()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from members.models import Topic
    from projects.expertise import rank, understand

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"{PROFILES} profiles, {POSTS} posts, {MEETINGS} meetings")  # fmt: skip
    for path in (
        "/projekte/",
        "/projekte/?page=20",
        "/projekte/?topic=bench-thema-1&stage=operation",
        "/mitglieder/bench-kommune-3/",
        "/api/projekte/",
        "/api/projekte/?page=2",
    ):
        print(f"queries for {path}: {query_count(path)}")
    topic = Topic.objects.get(slug="bench-thema-2")
    timings("Wen fragen? (topic)", lambda: rank(understand(topic=topic)))
    timings("Wen fragen? (own words)", lambda: rank(understand(text="Sensornetz LoRaWAN")))
    # The reference is the bare Django view: a project *outside* the portal
    # (bench/bareapp, its own settings, three middlewares), the same one bench.bare uses.
    # /bench/layout/ (the portal's middleware and base layout around a minimal body,
    # bench/urls.py) shows what the portal's frame alone reaches against it; /bench/trivial/
    # is a plain "ok" through the portal's middleware.
    pages = [
        ("public project list", "/projekte/"),
        ("municipality page", "/mitglieder/bench-kommune-3/"),
    ]
    references = [("layout reference", "/bench/layout/"), ("trivial view", "/bench/trivial/")]
    measured = [*pages, references[0]]
    ratios: dict[str, list[float]] = {label: [] for label, _path in measured}
    to_bare: dict[str, list[float]] = {label: [] for label, _path in measured}
    cpu_ms: dict[str, list[float]] = {
        label: [] for label in ("bare Django view", *(label for label, _ in pages + references))
    }
    with (
        serve_bare() as bare,
        serve(workers=2) as base,
    ):
        warm(bare + "/")
        for _label, path in pages + references:
            warm(base + path)
        for number in range(1, ROUNDS + 1):
            print(f"round {number}")
            targets = [("bare Django view", bare, "/")] + [
                (label, base, path) for label, path in references + pages
            ]
            order = targets if number % 2 else targets[::-1]
            results = {
                label: load_measuring_cpu(server, server + path, seconds=SECONDS)
                for label, server, path in order
            }
            for label, result in results.items():
                cpu_ms[label].append(result["cpu_ms"])
            print("  " + row("bare Django view", results["bare Django view"]))
            for label, _path in references:
                print("  " + row(label, results[label], results["bare Django view"], "bare"))
            for label, _path in measured:
                to_bare[label].append(results[label]["rps"] / results["bare Django view"]["rps"])
                ratios[label].append(results[label]["rps"] / results["layout reference"]["rps"])
            for label, _path in pages:
                print("  " + row(label, results[label], results["bare Django view"], "bare")
                      + f"  {ratios[label][-1]:.2f}× layout")  # fmt: skip
    print(f"median ratio to the bare Django view (goal >= 0.3x; {ROUNDS} rounds x {SECONDS} s), "
          "and to the layout reference:")  # fmt: skip
    for label, _path in measured:
        print(f"  {label:<24} {statistics.median(to_bare[label]):.2f}x bare (rounds: "
              + ", ".join(f"{r:.2f}" for r in sorted(to_bare[label]))
              + f"), {statistics.median(ratios[label]):.2f}x layout")  # fmt: skip
    print("server CPU per request (gunicorn master and workers, from /proc), median of rounds:")
    for label, values in cpu_ms.items():
        print(f"  {label:<24} {statistics.median(values):6.2f} ms")


if __name__ == "__main__":
    main()
