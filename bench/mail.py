"""Bench: a circular letter to 3,000 recipients (PostgreSQL + Redis + one Celery worker).

Prints the time of the admin request that queues the circular, the delivery rate of one
worker into a local aiosmtpd server, and the rate of a bare ``smtplib`` loop over one
connection into the same server in the same run (goal: the worker reaches at least half).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikone_x REDIS_URL=redis://127.0.0.1:6379/N \
        SECRET_KEY=x .venv/bin/python bench/mail.py [--recipients 3000]

It works in its own throwaway database (``bench_<name>``), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=3000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the bench measures that setup.")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.IKONE_STAFF_REQUIRE_MFA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    base_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{base_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.recipients)
    finally:
        connection.creation.destroy_test_db(base_name, verbosity=0)


def run(count: int) -> None:
    from aiosmtpd.controller import Controller
    from django.core.mail import get_connection
    from django.test import Client
    from django.urls import reverse

    from circulars.models import Circular
    from ikone.celery import app as celery_app
    from ikone.outbox.models import OutboundEmail
    from ikone.outbox.services import to_django_message
    from members.models import Contact, Municipality, User
    from tests.services import SMTPRecorder, WorkerProcess, free_port, worker_env

    celery_app.conf.task_always_eager = False
    towns = Municipality.objects.bulk_create(
        Municipality(name=f"Bankstadt {n}", slug=f"bankstadt-{n}", kind="stadt", ags=f"0799{n:04d}")
        for n in range(30)
    )
    Contact.objects.bulk_create(
        Contact(
            municipality=towns[n % 30],
            first_name="Kim",
            last_name=f"Empfänger {n}",
            email=f"bench{n:05d}@example.org",
        )
        for n in range(count)
    )
    coordinator = User.objects.create_superuser("bench@example.org", "bench-passwort-123")
    circular = Circular.objects.create(
        subject="Einladung zum Workshop in Ingelheim",
        body=(
            "Liebe Mitglieder,\n\n**Workshop** am 3. März in Ingelheim.\n\n"
            "- Anmeldung bis Freitag\n"
        ),
        question="Nehmen Sie teil?",
        answer_choices=Circular.Choices.YES_NO_MAYBE,
    )

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    worker = WorkerProcess(env=worker_env(smtp_port=port), name="bench").start()
    try:
        client = Client()
        client.force_login(coordinator)
        # The coordinator opens the circular before sending it; that first request also
        # loads the middleware, which a running server has done at start-up.
        assert (
            client.get(reverse("admin:circulars_circular_change", args=[circular.pk])).status_code
            == 200
        )
        url = reverse("admin:circulars_circular_send", args=[circular.pk])
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(url)
        request_seconds = time.perf_counter() - started
        request_cpu_seconds = time.process_time() - cpu_started
        assert response.status_code == 302, response.status_code
        queued = OutboundEmail.objects.filter(reference=circular.reference).count()

        deadline = time.monotonic() + 600
        while len(recorder.recipients()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        worker_seconds = time.perf_counter() - started - request_seconds
        delivered = len(recorder.recipients())
    finally:
        worker.stop()

    # The same mails once more, pre-rendered, through a bare smtplib loop over one connection.
    django_connection = get_connection()
    payloads = [
        (row.from_email, row.to, to_django_message(row, connection=django_connection).message())
        for row in OutboundEmail.objects.filter(reference=circular.reference).order_by("pk")
    ]
    payloads = [(sender, to, message.as_bytes(linesep="\r\n")) for sender, to, message in payloads]
    recorder.received.clear()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, to, data in payloads:
            smtp.sendmail(sender, [to], data)
    bare_seconds = time.perf_counter() - started

    # For reference: the same loop, but building each message with Django as the worker does.
    rows = list(OutboundEmail.objects.filter(reference=circular.reference).order_by("pk"))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for row in rows:
            message = to_django_message(row, connection=django_connection).message()
            smtp.sendmail(row.from_email, [row.to], message.as_bytes(linesep="\r\n"))
    built_seconds = time.perf_counter() - started
    controller.stop()

    worker_rate = delivered / worker_seconds
    bare_rate = len(payloads) / bare_seconds
    print(f"recipients:                          {count}")
    print(f"admin request queuing the circular:  {request_seconds * 1000:.0f} ms ({queued} rows)")
    # Under load from other processes the wall time grows; this part of it does not.
    print(f"  of it CPU time of the web process: {request_cpu_seconds * 1000:.0f} ms")
    print(f"one worker into aiosmtpd:            {worker_rate:.0f} mails/s ({delivered} delivered)")
    print(f"bare smtplib loop, one connection:   {bare_rate:.0f} mails/s")
    print(f"smtplib loop building each message:  {len(rows) / built_seconds:.0f} mails/s")
    print(f"worker / bare:                       {worker_rate / bare_rate:.0%}")


if __name__ == "__main__":
    main()
