"""The coordinator's view of outgoing mail."""

import pytest
from django.urls import reverse

from ikone.outbox.models import OutboundEmail
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def _row(**kwargs):
    n = OutboundEmail.objects.count()
    return OutboundEmail.objects.create(
        to=f"r{n}@example.org",
        from_email="k@example.org",
        subject="Einladung",
        body_text="Hallo",
        message_id=f"<{n}@example.org>",
        **kwargs,
    )


def test_outbox_list_shows_status_and_error(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    for _index in range(5):
        _row(status="failed", last_error="SMTPRecipientsRefused: 550 no such user")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("admin:outbox_outboundemail_changelist"))
    assert page.status_code == 200
    assert "550 no such user" in page.content.decode()


def test_retry_action_queues_failed_mail_again(client):
    client.force_login(CoordinatorFactory())
    failed = _row(status="failed", attempts=8)
    response = client.post(
        reverse("admin:outbox_outboundemail_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status in ("pending", "sent")
