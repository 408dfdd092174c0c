"""Delivery with real processes: PostgreSQL, Redis, Celery workers and an aiosmtpd server.

Every test counts what the SMTP server received, by recipient and by Message-ID (stored on
the row before sending, so a repeated send is recognisable).
"""

import shutil
import subprocess
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circulars import selectors
from circulars.models import Circular
from circulars.services import sending as sending_services
from ikone.celery import app as celery_app
from ikone.outbox import scheduling as outbox
from ikone.outbox.models import OutboundEmail
from members.models import Contact
from tests.circulars.factories import CircularFactory
from tests.factories import ContactFactory, CoordinatorFactory, MunicipalityFactory
from tests.services import free_port, require


def _contacts(count: int) -> list[Contact]:
    towns = [MunicipalityFactory() for _ in range(10)]
    return Contact.objects.bulk_create(
        Contact(
            municipality=towns[n % 10],
            first_name="Kim",
            last_name=f"Empfänger{n:05d}",
            email=f"empfaenger{n:05d}@example.org",
        )
        for n in range(count)
    )


def _send_circular(count: int) -> Circular:
    _contacts(count)
    return sending_services.send_circular(circular=CircularFactory(), by=CoordinatorFactory())


def _message_ids(recorder) -> Counter:
    with recorder.lock:
        return Counter(mail.message["Message-ID"] for mail in recorder.received)


def _wait_until(predicate, *, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _is_sent(row: OutboundEmail) -> bool:
    """The worker marks a row sent just after the SMTP server took it (on another thread),
    so a test polls for it with ``_wait_until`` instead of reading it once."""
    return OutboundEmail.objects.filter(pk=row.pk, status=OutboundEmail.Status.SENT).exists()


def _all_done(reference: str) -> bool:
    return not OutboundEmail.objects.filter(
        reference=reference, status__in=["pending", "sending"]
    ).exists()


def test_thousand_recipients_are_delivered_exactly_once(celery_worker_factory, smtp_server):
    recorder, port = smtp_server
    celery_worker_factory(smtp_port=port)
    circular = _send_circular(1000)
    recorder.wait_for(1000, timeout=180)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    counts = Counter(recorder.recipients())
    assert len(counts) == 1000
    assert max(counts.values()) == 1
    assert OutboundEmail.objects.filter(status="sent").count() == 1000
    stored = set(OutboundEmail.objects.values_list("message_id", flat=True))
    assert set(_message_ids(recorder)) == stored


def test_worker_killed_mid_way_loses_nothing_and_repeats_at_most_one(
    celery_worker_factory, smtp_server, settings
):
    recorder, port = smtp_server
    settings.IKONE_OUTBOX_CLAIM_SECONDS = 3
    env = {"IKONE_OUTBOX_RATE_LIMIT": "150", "IKONE_OUTBOX_CLAIM_SECONDS": "3"}
    worker = celery_worker_factory(smtp_port=port, name="killed", **env)
    circular = _send_circular(400)
    recorder.wait_for(60, timeout=60)
    worker.kill()
    delivered_before = len(recorder.recipients())
    assert delivered_before < 400, "the worker finished before it could be killed"
    # The beat sweep: once the dead worker's claims are older than the claim period they
    # go back to the queue, and the task is published again.
    time.sleep(3.5)
    assert outbox.sweep() >= 1
    celery_worker_factory(smtp_port=port, name="restarted", **env)
    recorder.wait_for(400, timeout=120)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    counts = Counter(recorder.recipients())
    assert len(counts) == 400
    duplicates = sum(n - 1 for n in _message_ids(recorder).values())
    assert duplicates <= 1
    assert sum(counts.values()) - 400 == duplicates


def test_smtp_server_refusing_temporarily_then_accepting(celery_worker_factory, smtp_server):
    recorder, port = smtp_server
    refusals = {"left": 25}
    lock = threading.Lock()

    def policy(address):
        with lock:
            if refusals["left"] > 0:
                refusals["left"] -= 1
                return "421 4.3.2 System busy, try again later"
        return None

    recorder.rcpt_policy = policy
    celery_worker_factory(smtp_port=port, IKONE_OUTBOX_BACKOFF_SECONDS="1")
    circular = _send_circular(50)
    recorder.wait_for(50, timeout=120)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    counts = Counter(recorder.recipients())
    assert len(counts) == 50
    assert max(counts.values()) == 1
    assert OutboundEmail.objects.filter(status="sent").count() == 50
    assert OutboundEmail.objects.filter(attempts__gt=1).exists()


def test_smtp_server_rejecting_one_address_permanently(celery_worker_factory, smtp_server):
    recorder, port = smtp_server
    recorder.rcpt_policy = lambda address: (
        "550 5.1.1 No such user" if address == "empfaenger00007@example.org" else None
    )
    celery_worker_factory(smtp_port=port)
    circular = _send_circular(30)
    recorder.wait_for(29, timeout=60)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    rejected = OutboundEmail.objects.get(to="empfaenger00007@example.org")
    assert rejected.status == OutboundEmail.Status.FAILED
    assert "550" in rejected.last_error
    assert OutboundEmail.objects.filter(status="sent").count() == 29
    assert "empfaenger00007@example.org" not in recorder.recipients()
    progress = selectors.circular_progress(circular=circular)
    assert (progress["sent"], progress["failed"], progress["queued"]) == (29, 1, 0)


def test_two_workers_drain_one_circular_without_sending_twice(celery_worker_factory, smtp_server):
    recorder, port = smtp_server
    env = {"IKONE_OUTBOX_BATCH_SIZE": "10"}
    first = celery_worker_factory(smtp_port=port, name="one", **env)
    second = celery_worker_factory(smtp_port=port, name="two", **env)
    circular = _contacts(600) and CircularFactory()
    sending_services.send_circular(circular=circular, by=CoordinatorFactory())
    # A second publish so that both workers have a task to work on at the same time.
    outbox._publish_send_task()
    recorder.wait_for(600, timeout=180)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    counts = Counter(recorder.recipients())
    assert len(counts) == 600
    assert max(counts.values()) == 1
    assert "Task ikone.outbox.tasks.send_pending_emails" in first.log()
    assert "Task ikone.outbox.tasks.send_pending_emails" in second.log()


def test_invitation_is_delivered_by_the_worker(celery_worker_factory, smtp_server):
    """Issue 2: the outbox on PostgreSQL + Redis with a real worker and SMTP server."""
    recorder, port = smtp_server
    celery_worker_factory(smtp_port=port)
    contact = ContactFactory(email="neu@example.org")
    from members.services import invite_contact

    invite_contact(contact=contact)
    assert recorder.wait_for(1, timeout=60) == ["neu@example.org"]
    message = recorder.received[0].message
    assert message["Message-ID"] == OutboundEmail.objects.get().message_id
    assert message.is_multipart()
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "/einladung/" in text


def test_circular_attachment_from_the_private_storage_arrives_with_the_worker(
    celery_worker_factory, smtp_server
):
    """The worker process reads the attachment from PRIVATE_MEDIA_ROOT, not from MEDIA_ROOT."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from circulars.models import CircularAttachment
    from tests.pdfs import tiny_pdf

    recorder, port = smtp_server
    celery_worker_factory(smtp_port=port)
    ContactFactory(email="empfang@example.org")
    circular = CircularFactory()
    pdf = tiny_pdf(pages=2)
    CircularAttachment.objects.create(
        circular=circular, file=SimpleUploadedFile("Programm Übersicht.pdf", pdf)
    )

    sending_services.send_circular(circular=circular, by=CoordinatorFactory())

    assert recorder.wait_for(1, timeout=60) == ["empfang@example.org"]
    parts = [
        part
        for part in recorder.received[0].message.walk()
        if part.get_content_type() == "application/pdf"
    ]
    assert [part.get_payload(decode=True) for part in parts] == [pdf]
    _wait_until(lambda: _is_sent(OutboundEmail.objects.get()), timeout=30, what="the row sent")


# --- Redis stopped while a coordinator sends ------------------------------------------------


class ThrowawayRedis:
    """A private redis-server on its own port, so stopping it harms nobody else."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def throwaway_redis(redis_url):
    require("redis-server", shutil.which("redis-server") is not None, "not installed")
    server = ThrowawayRedis().start()
    original = celery_app.conf.broker_url
    _use_broker(server.url)
    yield server
    server.stop()
    _use_broker(original)


def test_redis_stopped_while_a_coordinator_sends(
    celery_worker_factory, smtp_server, throwaway_redis, client, settings
):
    recorder, port = smtp_server
    celery_worker_factory(
        smtp_port=port,
        name="broker",
        REDIS_URL=throwaway_redis.url,
        CELERY_BROKER_URL=throwaway_redis.url,
    )
    _contacts(20)
    circular = CircularFactory()
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    throwaway_redis.stop()

    started = time.monotonic()
    response = client.post(reverse("admin:circulars_circular_send", args=[circular.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 5, f"the request waited {elapsed:.1f}s for the broker"
    circular.refresh_from_db()
    assert circular.status == Circular.Status.SENDING
    assert (
        OutboundEmail.objects.filter(reference=circular.reference, status="pending").count() == 20
    )
    time.sleep(1)
    assert recorder.recipients() == []

    throwaway_redis.start()
    outbox.sweep()  # what beat does every minute
    recorder.wait_for(20, timeout=120)
    _wait_until(lambda: _all_done(circular.reference), what="all rows recorded")
    assert sorted(set(recorder.recipients())) == sorted(
        Contact.objects.values_list("email", flat=True)
    )
    assert len(recorder.recipients()) == 20


def test_rows_due_later_wait_for_the_sweep_not_for_a_long_countdown(db, settings):
    """A retry an hour away is not parked on Redis as an ETA (re-delivered past visibility)."""
    settings.IKONE_OUTBOX_MAX_COUNTDOWN = 120
    with pytest.MonkeyPatch.context() as patch:
        published = []
        patch.setattr(outbox, "_publish_send_task", lambda **kw: published.append(kw))
        OutboundEmail.objects.create(
            to="a@example.org",
            from_email="x@example.org",
            subject="s",
            body_text="t",
            message_id="<later@example.org>",
            not_before=timezone.now() + timedelta(hours=1),
        )
        outbox.schedule_next_run()
        assert published == []
        OutboundEmail.objects.update(not_before=timezone.now() + timedelta(seconds=30))
        outbox.schedule_next_run()
        assert 30 <= published[0]["countdown"] <= 31
