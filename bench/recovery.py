"""Bench: how long the mail of a killed worker waits (PostgreSQL + Redis + real processes).

Two workers as in docker-compose.yml and a beat with the project's schedule; a circular to
600 recipients goes out (each worker capped at 50 mails/s so that the kill lands in the
middle of a batch), the worker delivering it is killed with SIGKILL together with its pool
children, and the clock runs until every recipient has mail. Prints the recovery time and
the duplicates per round. The claim and sweep periods are the project's defaults unless set
in the environment, e.g. the values before the change:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikone_x REDIS_URL=redis://127.0.0.1:6379/N \\
        SECRET_KEY=x .venv/bin/python bench/recovery.py [--rounds 3]
    IKONE_OUTBOX_CLAIM_SECONDS=300 IKONE_OUTBOX_SWEEP_SECONDS=60 ... bench/recovery.py --rounds 1

It works in its own throwaway database (``bench_<name>``), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")

RECIPIENTS = 600


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the bench measures that setup.")

    import django

    django.setup()
    from django.db import connection

    base_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{base_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.rounds)
    finally:
        connection.creation.destroy_test_db(base_name, verbosity=0)


def run(rounds: int) -> None:
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from circulars.models import Circular
    from circulars.services import sending as sending_services
    from ikone.celery import app as celery_app
    from members.models import Contact, Municipality, User
    from tests.outbox.recovery import kill_one_mid_batch_and_recover
    from tests.services import (
        COMPOSE_WORKER_ARGS,
        BeatProcess,
        SMTPRecorder,
        WorkerProcess,
        free_port,
        worker_env,
    )

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
        for n in range(RECIPIENTS)
    )
    coordinator = User.objects.create_superuser("bench@example.org", "bench-passwort-123")
    claim, sweep = settings.IKONE_OUTBOX_CLAIM_SECONDS, settings.IKONE_OUTBOX_SWEEP_SECONDS
    print(f"claim {claim} s (renewed every {claim / 6:.0f} s), sweep every {sweep} s")

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    beat = BeatProcess(env=worker_env(), name="bench-beat").start()
    try:
        for number in range(1, rounds + 1):
            recorder.received.clear()
            env = worker_env(smtp_port=port, IKONE_OUTBOX_RATE_LIMIT="50")
            workers = tuple(
                WorkerProcess(env=env, name=f"bench-{number}-{n}", args=COMPOSE_WORKER_ARGS)
                for n in (1, 2)
            )
            for worker in workers:
                worker.start()

            def send(number=number) -> int:
                circular = Circular.objects.create(subject=f"Runde {number}", body="Hallo")
                sending_services.send_circular(circular=circular, by=coordinator)
                return RECIPIENTS

            try:
                result = kill_one_mid_batch_and_recover(
                    recorder=recorder, workers=workers, send=send, timeout=claim + 3 * sweep + 60
                )
            finally:
                for worker in workers:
                    worker.stop()
            seconds = f"{result.seconds:.1f} s" if result.seconds is not None else "not in time"
            print(
                f"round {number}: all {result.recipients} delivered {seconds} after the kill "
                f"({result.delivered_at_kill} before it), {result.duplicates} duplicate(s), "
                f"{result.missing} missing"
            )
    finally:
        beat.stop()
        controller.stop()


if __name__ == "__main__":
    main()
