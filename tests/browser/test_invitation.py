"""Invitation → set a password → logged in → log out → log in again, in Chromium."""

import re

import pytest

from ikone.outbox.models import OutboundEmail
from members import services
from tests.factories import ContactFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Pfälzerwald-Portal-2026"


def test_invited_contact_sets_password_and_logs_in_again(page, live_server, settings):
    settings.SITE_URL = live_server.url
    contact = ContactFactory(
        first_name="Jonas",
        last_name="Becker",
        email="jonas.becker@enkenbach.example",
        municipality__name="Enkenbach-Alsenborn",
    )
    services.invite_contact(contact=contact)  # what the coordinator's admin action does

    mail = OutboundEmail.objects.get(reference=f"invitation:{contact.pk}")
    link = re.search(r"https?://\S+/einladung/\S+/", mail.body_text).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/bereich/")
    assert "Jonas" in page.locator("h1").inner_text()

    page.locator("header form[action$='/konto/logout/'] button").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("header a[href$='/konto/login/']").is_visible()

    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill("jonas.becker@enkenbach.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/bereich/")
    assert "Enkenbach-Alsenborn" in page.locator("main").inner_text()

    page.goto(link)  # the link worked once
    assert page.locator("h1").inner_text() != ""
    assert "/einladung/" in page.url
    assert page.locator("input[name=password1]").count() == 0
