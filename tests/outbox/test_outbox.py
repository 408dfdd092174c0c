"""The outbox in one process: headers, categories, failures, claims, publishing."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from ikone.celery import app as celery_app
from ikone.outbox import delivery, queue, services
from ikone.outbox.models import OutboundEmail
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _queue(to, *, category=OutboundEmail.Category.ESSENTIAL, **kwargs):
    return services.queue_email(
        to=to,
        template="members/application_received",
        context={"application": {"municipality_name": "Musterstadt"}},
        category=category,
        **kwargs,
    )


@pytest.fixture
def smtp(settings, smtp_server):
    """Send through a real local SMTP server (aiosmtpd) instead of memory."""
    recorder, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return recorder


@pytest.fixture
def queued_without_sending():
    """Queue rows without the after-commit task, to drive delivery by hand."""
    with mock.patch.object(queue, "trigger_delivery"):
        yield


def test_sent_mail_carries_the_stored_message_id_date_and_reply_to(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.IKONE_OUTBOX_REPLY_TO = "koordination@ikone-ds.de"
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue("erika@example.org")
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    message = smtp.received[0].message
    assert message["Message-ID"] == row.message_id
    assert message["Date"]
    assert message["Reply-To"] == "koordination@ikone-ds.de"
    assert "List-Unsubscribe" not in message


def test_notification_says_how_to_switch_off_and_has_list_unsubscribe(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue("erika@example.org", category=OutboundEmail.Category.NOTIFICATION)
    assert "/bereich/mail-einstellungen/" in row.body_text
    message = smtp.received[0].message
    assert message["List-Unsubscribe"].endswith("/bereich/mail-einstellungen/>")


def test_contact_wanting_only_essential_mail_gets_no_notifications(
    mailoutbox, django_capture_on_commit_callbacks
):
    ContactFactory(email="nur-wichtiges@example.org", only_essential_mail=True)
    skipped = services.queue_emails(
        [
            services.Message(
                to="Nur-Wichtiges@example.org",
                template="members/application_received",
                context={"application": {}},
                category=OutboundEmail.Category.NOTIFICATION,
            )
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        essential = _queue("nur-wichtiges@example.org")
    assert skipped == []
    assert OutboundEmail.objects.get() == essential
    assert len(mailoutbox) == 1


def test_permanent_refusal_fails_only_that_recipient(smtp, queued_without_sending):
    smtp.rcpt_policy = lambda address: "550 no such user" if address.startswith("weg") else None
    rows = [_queue(f"{name}@example.org") for name in ("anna", "weg", "bert")]
    assert services.send_pending() == 2
    statuses = {r.to: r.status for r in OutboundEmail.objects.filter(pk__in=[r.pk for r in rows])}
    assert statuses == {
        "anna@example.org": "sent",
        "weg@example.org": "failed",
        "bert@example.org": "sent",
    }
    assert "550" in OutboundEmail.objects.get(to="weg@example.org").last_error
    assert sorted(smtp.recipients()) == ["anna@example.org", "bert@example.org"]


def test_temporary_refusal_retries_later_and_the_batch_goes_on(smtp, queued_without_sending):
    smtp.rcpt_policy = lambda address: "421 try later" if address.startswith("spaet") else None
    for name in ("anna", "spaet", "bert"):
        _queue(f"{name}@example.org")
    before = timezone.now()
    assert services.send_pending() == 2
    later = OutboundEmail.objects.get(to="spaet@example.org")
    assert later.status == OutboundEmail.Status.PENDING
    assert later.attempts == 1
    assert later.not_before > before + timedelta(seconds=30)
    assert sorted(smtp.recipients()) == ["anna@example.org", "bert@example.org"]
    smtp.rcpt_policy = None
    OutboundEmail.objects.filter(pk=later.pk).update(not_before=timezone.now())
    assert services.send_pending() == 1


def test_unreachable_server_keeps_mail_pending_with_backoff(settings, queued_without_sending):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: refused
    settings.EMAIL_TIMEOUT = 2
    row = _queue("erika@example.org")
    assert services.send_pending() == 0
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING
    assert row.attempts == 1
    assert row.not_before > timezone.now()


def test_gives_up_after_the_maximum_attempts(settings, queued_without_sending):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.IKONE_OUTBOX_MAX_ATTEMPTS = 2
    row = _queue("erika@example.org")
    services.send_pending()
    OutboundEmail.objects.filter(pk=row.pk).update(not_before=timezone.now())
    services.send_pending()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED


def test_claims_are_renewed_while_a_long_batch_is_sent(smtp, settings, queued_without_sending):
    settings.IKONE_OUTBOX_CLAIM_SECONDS = 0  # renew before every message
    rows = [_queue(f"p{n}@example.org") for n in range(3)]
    with mock.patch.object(delivery, "_refresh_claims", wraps=delivery._refresh_claims) as spy:
        services.send_pending()
    assert [len(call.args[0]) for call in spy.call_args_list] == [3, 2, 1]
    assert all(
        r.status == "sent" for r in OutboundEmail.objects.filter(pk__in=[r.pk for r in rows])
    )


def test_stale_claims_are_released_fresh_ones_kept(settings, queued_without_sending):
    stale, fresh = _queue("a@example.org"), _queue("b@example.org")
    OutboundEmail.objects.filter(pk=stale.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    OutboundEmail.objects.filter(pk=fresh.pk).update(status="sending", claimed_at=timezone.now())
    assert services.release_stale_claims() == 1
    assert OutboundEmail.objects.get(pk=stale.pk).status == "pending"
    assert OutboundEmail.objects.get(pk=fresh.pk).status == "sending"


def test_one_publish_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(5):
            _queue(f"n{n}@example.org")
    assert len(callbacks) == 1


def test_a_broker_failure_never_fails_the_request(caplog, django_capture_on_commit_callbacks):
    celery_app.conf.task_always_eager = False
    with (
        mock.patch(
            "ikone.outbox.tasks.send_pending_emails.apply_async",
            side_effect=ConnectionRefusedError("redis down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = _queue("erika@example.org")
    assert OutboundEmail.objects.get(pk=row.pk).status == OutboundEmail.Status.PENDING
    assert "sweep" in caplog.text


def test_retry_failed_puts_rows_back(queued_without_sending):
    row = _queue("erika@example.org")
    OutboundEmail.objects.filter(pk=row.pk).update(status="failed", attempts=8)
    assert services.retry_failed(emails=OutboundEmail.objects.all()) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)


def test_classification_of_smtp_errors():
    assert services._classify(smtplib.SMTPRecipientsRefused({"a": (550, b"no")}))
    assert not services._classify(smtplib.SMTPRecipientsRefused({"a": (421, b"later")}))
    assert not services._classify(smtplib.SMTPServerDisconnected("gone"))
    assert services._classify(smtplib.SMTPDataError(554, b"spam"))


def test_a_stalled_worker_skips_rows_another_worker_claimed_meanwhile(
    smtp, settings, queued_without_sending
):
    settings.IKONE_OUTBOX_CLAIM_SECONDS = 0  # renew before every message
    rows = [_queue(f"s{n}@example.org") for n in range(3)]
    real = services._refresh_claims
    taken = rows[2].pk

    def another_worker_reclaims(remaining, *, claimed_at):
        OutboundEmail.objects.filter(pk=taken).update(
            claimed_at=timezone.now() + timedelta(seconds=1)
        )
        return real(remaining, claimed_at=claimed_at)

    with mock.patch.object(delivery, "_refresh_claims", side_effect=another_worker_reclaims):
        assert services.send_pending(max_batches=1) == 2
    assert sorted(smtp.recipients()) == ["s0@example.org", "s1@example.org"]
    assert OutboundEmail.objects.get(pk=taken).status == OutboundEmail.Status.SENDING
