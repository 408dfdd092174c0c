"""The reply link journey of a circular letter in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circulars.models import CircularRecipient
from circulars.services import links as link_services
from circulars.services import sending as sending_services
from tests.circulars.factories import QuestionCircularFactory
from tests.factories import ContactFactory, CoordinatorFactory


@pytest.mark.django_db(transaction=True)
def test_recipient_answers_from_the_mail_and_changes_the_answer(page, live_server, settings):
    settings.SITE_URL = live_server.url
    ContactFactory(first_name="Jana", last_name="Beispiel")
    circular = sending_services.send_circular(
        circular=QuestionCircularFactory(closes_at=timezone.now() + timedelta(days=7)),
        by=CoordinatorFactory(),
    )
    recipient = CircularRecipient.objects.get(circular=circular)

    # One click on "Ja" in the e-mail.
    page.goto(link_services.reply_url(recipient, "yes"))
    status = page.get_by_role("status").first
    assert "Ja" in status.inner_text() or "Yes" in status.inner_text()

    # Later the recipient changes their mind and adds a comment.
    page.get_by_label("Nein").or_(page.get_by_label("No")).check()
    page.locator("#comment").fill("Leider ist der Termin belegt.")
    page.locator("form button.btn-primary").click()
    page.wait_for_url("**gespeichert=1")
    assert "Leider ist der Termin belegt." in page.get_by_role("status").first.inner_text()
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.comment) == ("no", "Leider ist der Termin belegt.")

    # A tampered link shows a clear page.
    page.goto(link_services.reply_url(recipient, "yes").replace("/antwort/", "/antwort/x"))
    assert page.get_by_role("alert").is_visible()
    recipient.refresh_from_db()
    assert recipient.answer == "no"
