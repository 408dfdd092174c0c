"""Each "sent" mark is committed before the next message reaches the server (PostgreSQL).

The worker writes the mark of message n on a second connection while it starts message
n + 1; this checks, from inside the SMTP server at each DATA, what another connection sees.
"""

import pytest
from django.db import connections

from ikone.outbox import delivery as services
from ikone.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


class CheckingRecorder:
    """aiosmtpd handler: at each DATA, count the rows already marked sent (own connection)."""

    def __init__(self):
        self.seen: list[tuple[int, int]] = []  # (messages accepted before, rows marked sent)

    async def handle_DATA(self, server, session, envelope):
        from asgiref.sync import sync_to_async

        marked = await sync_to_async(self._marked, thread_sensitive=False)()
        self.seen.append((len(self.seen), marked))
        return "250 OK"

    @staticmethod
    def _marked() -> int:
        try:
            return OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
        finally:
            connections.close_all()


def test_every_message_before_the_current_one_is_marked_sent(postgres, settings, monkeypatch):
    import time

    from aiosmtpd.controller import Controller

    from tests.services import free_port

    mark = services._mark_sent

    def slow_mark(pk):  # a slow database: the next message must still wait for the mark
        time.sleep(0.05)
        mark(pk)

    monkeypatch.setattr(services, "_mark_sent", slow_mark)

    recorder = CheckingRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        for n in range(30):
            OutboundEmail.objects.create(
                to=f"empfaenger{n}@example.org",
                from_email="koordination@ikone-ds.de",
                subject="Rundschreiben",
                body_text="Hallo",
                message_id=f"<marks-{n}@ikone-ds.de>",
            )
        rows = services.claim_batch(size=30)

        assert services.deliver(rows) == 30
    finally:
        controller.stop()

    assert recorder.seen == [(n, n) for n in range(30)]
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 30
