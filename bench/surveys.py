"""Bench: results page of a 20-question survey with 3,000 responses.

Runs against a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL
when DATABASE_URL is set). Prints the time to compute and render the results page and its
query count. ``python bench/surveys.py [responses]``
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(n_responses: int):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import Municipality, User
    from surveys.models import Answer, Option, Question, Response, Survey

    now = timezone.now()
    survey = Survey.objects.create(
        title="Bench",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        opened_at=now - timedelta(days=30),
    )
    kinds = (
        [Question.Kind.SINGLE] * 5
        + [Question.Kind.MULTIPLE] * 4
        + [Question.Kind.RATING] * 3
        + [Question.Kind.NUMBER] * 3
        + [Question.Kind.TEXT] * 3
        + [Question.Kind.RANKING] * 2
    )
    questions = Question.objects.bulk_create(
        Question(survey=survey, position=i, kind=k, text=f"Frage {i}", min_value=1, max_value=5)
        for i, k in enumerate(kinds)
    )
    options = {}
    for q in questions:
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING):
            count = 8 if q.kind == Question.Kind.RANKING else 5
            options[q.pk] = Option.objects.bulk_create(
                Option(question=q, position=i, text=f"Option {i}") for i in range(count)
            )
    towns = Municipality.objects.bulk_create(
        Municipality(
            name=f"Ort {i}",
            slug=f"ort-{i}",
            kind=random.choice(Municipality.Kind.values),
            district=f"Kreis {i % 24}",
            ags=f"{10000000 + i}",
        )
        for i in range(n_responses)
    )
    responses = Response.objects.bulk_create(
        Response(survey=survey, municipality=t, status="submitted", version=1, submitted_at=now)
        for t in towns
    )
    rng = random.Random(1)
    rows = []
    for response in responses:
        for q in questions:
            own = options.get(q.pk, [])
            if q.kind == Question.Kind.SINGLE:
                rows.append(Answer(response=response, question=q, option=rng.choice(own)))
            elif q.kind == Question.Kind.MULTIPLE:
                for o in rng.sample(own, 2):
                    rows.append(Answer(response=response, question=q, option=o))
            elif q.kind == Question.Kind.RANKING:
                for rank, o in enumerate(rng.sample(own, len(own)), start=1):
                    rows.append(Answer(response=response, question=q, option=o, rank=rank))
            elif q.kind == Question.Kind.TEXT:
                rows.append(Answer(response=response, question=q, text="Antworttext"))
            else:
                rows.append(Answer(response=response, question=q, number=rng.randint(1, 5)))
        if len(rows) > 20000:
            Answer.objects.bulk_create(rows)
            rows = []
    Answer.objects.bulk_create(rows)
    user = User.objects.create_user("bench@example.org", is_staff=True, is_superuser=True)
    return survey, user, Answer.objects.count()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    setup_test_environment()
    from django.conf import settings

    settings.IKONE_STAFF_REQUIRE_MFA = False
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        survey, user, answers = build(n)
        print(
            f"setup: {n} responses, 20 questions, {answers} answer rows "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        from surveys.results import compute

        for label in ("compute()", "compute(kind filter)"):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                compute(survey, **({"kind": "stadt"} if "filter" in label else {}))
                elapsed = time.perf_counter() - started
            print(f"{label}: {elapsed * 1000:.0f} ms, {len(ctx.captured_queries)} queries")
        client = Client()
        client.force_login(user)
        timings = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(f"/umfragen/{survey.pk}/ergebnisse/")
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"results page: best {min(timings) * 1000:.0f} ms of 3, "
            f"{len(ctx.captured_queries)} queries (incl. session/user)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
