"""The Stammtisch cycle at size: the agenda proposal and the OParl list pages.

    python -m bench.oparl                    # embedded SQLite
    DATABASE_URL=... REDIS_URL=... SECRET_KEY=x python -m bench.oparl

Seeds (once) 50 topics, a ranking survey with 30 answers, a series of 200 held public
meetings with 2,000 agenda items covering the topics, and a planned meeting. Prints the
time of *Tagesordnung vorschlagen* (p50/p95 of 30 runs, in-process; goal < 100 ms), the
queries of the OParl list pages at two page sizes and on the first and the last page (goal:
the same count), and the OParl meeting and agenda item lists under load, each right next to
the bare Django view of ``bench.bareapp`` (order flipping every round; goal ≥ 0.3×).
"""

import os
import random
import statistics
import time
from datetime import timedelta

from bench.harness import load, query_count, row, serve, serve_bare, setup_django, warm

MEETINGS = 200
ITEMS_PER_MEETING = 10
TOPICS = 50
RUNS = 30
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def seed():
    """The data set; returns the planned meeting the proposal is for."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, MeetingSeries
    from members.models import Municipality, Topic
    from surveys.models import Answer, Option, Question, Response, Survey

    planned = Meeting.objects.filter(slug="bench-oparl-geplant").first()
    if planned:
        return planned
    rng = random.Random(14)
    now = timezone.now()
    topics = [
        Topic.objects.get_or_create(slug=f"bench-thema-{n}", defaults={"name": f"Benchthema {n}"})[
            0
        ]
        for n in range(TOPICS)
    ]
    survey = Survey.objects.create(
        title="Bench-Themenumfrage",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        opened_at=now - timedelta(days=30),
    )
    question = Question.objects.create(
        survey=survey, kind=Question.Kind.RANKING, text="Welche Themen?", topics_as_options=False
    )
    options = Option.objects.bulk_create(
        Option(question=question, position=i, text=topic.name, topic=topic)
        for i, topic in enumerate(topics)
    )
    answers = []
    for n in range(30):
        municipality, _created = Municipality.objects.get_or_create(
            slug=f"bench-oparl-kommune-{n}",
            defaults={"name": f"Benchgemeinde {n}", "kind": "gemeinde", "ags": f"0798{n:04d}"},
        )
        response = Response.objects.create(
            survey=survey, municipality=municipality, status=Response.Status.SUBMITTED
        )
        order = rng.sample(options, len(options))
        answers += [
            Answer(response=response, question=question, option=option, rank=rank)
            for rank, option in enumerate(order, start=1)
        ]
    Answer.objects.bulk_create(answers)

    series = MeetingSeries.objects.create(name="Bench-Stammtisch")
    first = now - timedelta(weeks=6 * MEETINGS)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            series=series,
            number=n + 1,
            title=f"Bench-Stammtisch {n + 1}",
            slug=f"bench-oparl-{n}",
            start=first + timedelta(weeks=6 * n),
            end=first + timedelta(weeks=6 * n, hours=2),
            status=Meeting.Status.HELD,
            location="Rathaus Kaiserslautern",
            public_summary=f"Zusammenfassung {n + 1}",
            minutes_status=Meeting.MinutesStatus.APPROVED,
            minutes_approved_at=first + timedelta(weeks=6 * n + 2),
        )
        for n in range(MEETINGS)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=p, title=f"Vortrag {meeting.number}.{p}")
        for meeting in meetings
        for p in range(ITEMS_PER_MEETING)
    )
    through = AgendaItem.topics.through
    through.objects.bulk_create(
        through(agendaitem_id=item.pk, topic_id=topic.pk)
        for item in items
        for topic in rng.sample(topics, 2)
    )
    start = now + timedelta(days=14)
    return Meeting.objects.create(
        series=series,
        title="Bench-Stammtisch geplant",
        slug="bench-oparl-geplant",
        start=start,
        end=start + timedelta(hours=2),
        status=Meeting.Status.ANNOUNCED,
    )


def seed_persons_and_deleted() -> None:
    """Once: 30 agreeing speakers with a talk each, and 300 deleted meetings (tombstones)."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, OParlTombstone
    from members.models import Contact, Municipality

    if OParlTombstone.objects.filter(kind="meeting", object_pk__gte=10**9).exists():
        return
    meetings = list(
        Meeting.objects.filter(slug__startswith="bench-oparl-").exclude(slug="bench-oparl-geplant")[
            :30
        ]
    )
    municipalities = list(Municipality.objects.filter(slug__startswith="bench-oparl-kommune-"))
    contacts = Contact.objects.bulk_create(
        Contact(
            municipality=municipalities[n % len(municipalities)],
            first_name="Bench",
            last_name=f"Rednerin {n}",
            email=f"bench-rednerin-{n}@example.org",
            public_speaker=True,
        )
        for n in range(30)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=99,
            title=f"Erfahrungsbericht {n}",
            speaker=contact.full_name,
            speaker_municipality=contact.municipality,
        )
        for n, (meeting, contact) in enumerate(zip(meetings, contacts, strict=False))
    )
    now = timezone.now()
    OParlTombstone.objects.bulk_create(
        OParlTombstone(kind="meeting", object_pk=10**9 + n, created=now, deleted_at=now)
        for n in range(300)
    )


def proposal_timing(planned) -> None:
    from meetings import agenda_proposal

    agenda_proposal.propose(meeting=planned)  # warm
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        agenda_proposal.propose(meeting=planned)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    verdict = "ok" if p95 < 100 else "OVER the goal of 100 ms"
    print(
        f"agenda proposal ({MEETINGS} meetings, {MEETINGS * ITEMS_PER_MEETING} agenda items, "
        f"{TOPICS} topics): p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms — {verdict}"
    )


def query_counts() -> None:
    from django.test import Client
    from django.urls import reverse

    print("queries per OParl list page (limit=10 / limit=100, first and last page):")
    names = ("oparl_meetings", "oparl_agenda_items", "oparl_files", "oparl_organizations")
    lists = [(reverse(f"meetings:{name}"), "") for name in (*names, "oparl_persons")]
    # with modified_since the deleted objects (tombstones) follow as one more part
    lists.append((reverse("meetings:oparl_meetings"), "modified_since=2000-01-01&"))
    for path, query in lists:
        counts = []
        for limit in (10, 100):
            counts.append(query_count(f"{path}?{query}limit={limit}"))
            params = {"limit": limit, **dict(p.split("=") for p in query.split("&") if p)}
            last = Client().get(path, params).json()["pagination"]["totalPages"]
            counts.append(query_count(f"{path}?{query}limit={limit}&page={last}"))
        # a page that spans two parts of a list (series, then municipalities) slices both
        verdict = "does not grow with the page" if max(counts[2:]) <= max(counts[:2]) else "GROWS"
        print(f"  {path + ('?' + query[:-1] if query else ''):<55} {counts} — {verdict}")


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.urls import reverse

    planned = seed()
    seed_persons_and_deleted()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    proposal_timing(planned)
    query_counts()
    pages = [
        ("OParl meetings (50)", reverse("meetings:oparl_meetings")),
        ("OParl meetings (10)", reverse("meetings:oparl_meetings") + "?limit=10"),
        ("OParl agenda items (50)", reverse("meetings:oparl_agenda_items")),
    ]
    with (
        serve_bare() as bare,
        serve(workers=2) as portal,
    ):
        warm(bare + "/")
        for _label, path in pages:
            warm(portal + path)
        ratios: dict[str, list[float]] = {label: [] for label, _path in pages}
        for number in range(1, ROUNDS + 1):
            print(f"round {number}")
            for label, path in pages:
                pair = [("bare", bare + "/"), (label, portal + path)]
                measured = {}
                for name, url in pair if number % 2 else pair[::-1]:
                    measured[name] = load(url, seconds=SECONDS, connections=16)
                print(row(f"  {label}", measured[label], measured["bare"], "bare"))
                ratios[label].append(measured[label]["rps"] / measured["bare"]["rps"])
    print(f"median ratio to the adjacent bare view ({ROUNDS} rounds × {SECONDS} s; goal ≥ 0.3×):")
    for label, values in ratios.items():
        median = statistics.median(values)
        verdict = "ok" if median >= 0.3 else "BELOW the goal"
        print(f"  {label:<26} {median:.2f}×  — {verdict}")


if __name__ == "__main__":
    main()
