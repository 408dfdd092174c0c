"""A live worker keeps its claims however long one message takes (PostgreSQL, autocommit).

The claim period is short so that the mail of a killed worker goes back to the queue soon;
these tests check the other side: the beat sweep, run while a message is in flight, takes
nothing from a worker that is alive — unless that message has stalled for longer than
``IKONE_OUTBOX_STALL_SECONDS``, and then the worker does not send what it gave up.
"""

import asyncio
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import connections

from ikone.outbox import services
from ikone.outbox.models import OutboundEmail
from tests.services import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class SlowServer:
    """aiosmtpd handler: the DATA of message ``slow_index`` takes ``delay`` seconds, and the
    sweep runs (on its own connection) just before that message is accepted."""

    def __init__(self, *, slow_index: int, delay: float):
        self.slow_index, self.delay = slow_index, delay
        self.received: list[str] = []
        self.released_by_sweep: int | None = None

    async def handle_DATA(self, server, session, envelope):
        if len(self.received) == self.slow_index:
            await asyncio.sleep(self.delay)
            self.released_by_sweep = await sync_to_async(self._sweep, thread_sensitive=False)()
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"

    @staticmethod
    def _sweep() -> int:
        try:
            return services.release_stale_claims()
        finally:
            connections.close_all()


@pytest.fixture
def slow_server(settings):
    def start(**kwargs):
        handler = SlowServer(**kwargs)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 20
        return handler

    started = []
    yield start
    for controller in started:
        controller.stop()


def _queue(count: int) -> list[OutboundEmail]:
    for n in range(count):
        OutboundEmail.objects.create(
            to=f"langsam{n}@example.org",
            from_email="koordination@ikone-ds.de",
            subject="Rundschreiben",
            body_text="Hallo",
            message_id=f"<claims-{n}@ikone-ds.de>",
        )
    return services.claim_batch(size=count)


def test_a_slow_message_does_not_lose_the_claims_of_a_live_worker(postgres, settings, slow_server):
    settings.IKONE_OUTBOX_CLAIM_SECONDS = 3  # renewed every 0.5 s
    server = slow_server(slow_index=2, delay=5)  # message 3 takes longer than the claim period
    rows = _queue(6)

    started = time.monotonic()
    assert services.deliver(rows) == 6

    assert time.monotonic() - started > 5
    assert server.released_by_sweep == 0
    assert Counter(server.received) == {f"langsam{n}@example.org": 1 for n in range(6)}
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 6
    assert not OutboundEmail.objects.exclude(claimed_at=None).exists()


def test_a_stalled_message_gives_its_batch_up_and_the_rest_is_not_sent(
    postgres, settings, slow_server
):
    settings.IKONE_OUTBOX_CLAIM_SECONDS = 3
    settings.IKONE_OUTBOX_STALL_SECONDS = 1
    server = slow_server(slow_index=2, delay=5)
    rows = _queue(6)

    sent = services.deliver(rows)

    # The sweep took back the message in flight and the three behind it; the one in flight
    # was accepted all the same (the one duplicate a stall may cost), the rest is left to
    # whichever worker claims it next.
    assert server.released_by_sweep == 4
    assert sent == 3
    assert server.received == [f"langsam{n}@example.org" for n in range(3)]
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert sorted(pending.values_list("to", flat=True)) == [
        f"langsam{n}@example.org" for n in range(3, 6)
    ]
