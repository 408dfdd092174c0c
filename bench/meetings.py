"""Meetings benchmark: queries on a meeting page (5 vs 200 agenda items and registrations)
and the time to queue invitations to 3,000 contacts via the admin action's service.

Runs against a throwaway test database (SQLite by default, PostgreSQL with DATABASE_URL):

    .venv/bin/python bench/meetings.py
"""

import os
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from ikone.celery import app

    # Measure queueing only: the send task is published to the broker, not run in-process.
    app.conf.task_always_eager = False
    if not os.environ.get("REDIS_URL"):
        app.conf.broker_url = "memory://"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _meeting(n: int, contact):
    from meetings.models import AgendaItem, Meeting, Registration, Workshop
    from meetings.services import registration as registration_services
    from members.models import Municipality

    start = timezone.now() + timedelta(days=10)
    meeting = Meeting.objects.create(
        title=f"Bench {n}",
        slug=f"bench-{n}",
        start=start,
        end=start + timedelta(hours=2),
        status=Meeting.Status.ANNOUNCED,
        online_link="https://konferenz.example/bench",
        minutes="## Protokoll\n\nText",
    )
    municipality = Municipality.objects.first()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=i,
            title=f"Punkt {i}",
            speaker="Frank Huber",
            speaker_municipality=municipality if i % 2 else None,
            speaker_organisation="" if i % 2 else "KL.digital GmbH",
        )
        for i in range(n)
    )
    Registration.objects.bulk_create(
        Registration(meeting=meeting, guest_name=f"Gast {i}", guest_email=f"gast{i}@example.org")
        for i in range(n)
    )
    for r in (1, 2):
        Workshop.objects.create(meeting=meeting, round=r, title=f"Workshop {r}", capacity=50)
    registration_services.register(contact=contact, meeting=meeting)
    return meeting


def run() -> None:
    from meetings.models import Meeting
    from meetings.services import invitations
    from members.models import Contact, Municipality, User

    home = Municipality.objects.create(
        name="Kaiserslautern", slug="kl", kind="stadt", ags="07312000"
    )
    user = User.objects.create_user("bench@example.org", "bench-passwort-123")
    member = Contact.objects.create(
        municipality=home, user=user, first_name="Lena", last_name="Bench", email=user.email
    )
    print(f"Database: {connection.vendor}")
    print("Queries on a meeting page (anonymous visitor; member registered for it):")
    for n in (5, 200):
        meeting = _meeting(n, member)
        for who, client in (("anonymous", Client()), ("member", Client())):
            if who == "member":
                client.force_login(user)
            client.get(meeting.get_absolute_url())  # warm up
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(meeting.get_absolute_url())
                elapsed = time.perf_counter() - started
            assert response.status_code == 200
            print(
                f"  {n:>3} agenda items + {n:>3} registrations, {who:<9}: "
                f"{len(queries):>2} queries, {elapsed * 1000:6.1f} ms"
            )

    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Kommune {i}", slug=f"kommune-{i}", kind="stadt", ags=f"0799{i:04d}")
        for i in range(100)
    )
    Contact.objects.bulk_create(
        Contact(
            municipality=municipalities[i % 100],
            first_name="Kontakt",
            last_name=f"Nummer {i}",
            email=f"kontakt{i}@example.org",
        )
        for i in range(2999)
    )
    total = Contact.objects.active().count()
    start = timezone.now() + timedelta(days=20)
    meeting = Meeting.objects.create(
        title="Einladungstest", slug="einladung", start=start, end=start + timedelta(hours=2)
    )
    from ikone.outbox.models import OutboundEmail

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            queued = invitations.send_invitations(meeting=meeting)
        elapsed = time.perf_counter() - started
    assert (
        queued == total == OutboundEmail.objects.filter(reference__startswith="meetings.").count()
    )
    print(
        f"Queue invitations (with .ics) to {queued} contacts, service: {elapsed:.2f} s, "
        f"{len(queries)} queries"
    )

    # The same through the admin action (intermediate page confirmed), as a coordinator does.
    settings.IKONE_STAFF_REQUIRE_MFA = False
    coordinator = User.objects.create_superuser("koordination@example.org", "bench-passwort-123")
    admin = Client()
    admin.force_login(coordinator)
    second = Meeting.objects.create(
        title="Einladungstest 2", slug="einladung-2", start=start, end=start + timedelta(hours=2)
    )
    before = OutboundEmail.objects.count()
    started = time.perf_counter()
    response = admin.post(
        "/admin/meetings/meeting/",
        {"action": "invite", "_selected_action": [second.pk], "apply": "1"},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    queued = OutboundEmail.objects.count() - before
    print(f"Queue invitations to {queued} contacts, admin action request: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
