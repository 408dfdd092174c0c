"""A member logs in, registers for a workshop day (two workshops), sees the online link, cancels."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting, Registration
from tests.factories import MemberContactFactory
from tests.meetings.factories import MeetingFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ein-langes-passwort-123"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collectstatic manifest (PostgreSQL runs use the manifest storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    """A German browser: the portal answers in German."""
    return {**browser_context_args, "locale": "de-DE"}


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail").first.fill(email)
    page.get_by_label("Passwort").first.fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)


def test_member_registers_for_two_workshops_and_cancels(page, live_server):
    contact = MemberContactFactory(email="lena@example.org")
    meeting = MeetingFactory(
        title="Workshoptag Digitalisierung",
        kind=Meeting.Kind.WORKSHOP_DAY,
        online_link="https://konferenz.example/workshoptag",
    )
    WorkshopFactory(meeting=meeting, round=1, title="Projektgruppe Digitales")
    WorkshopFactory(meeting=meeting, round=1, title="Datenschutz früh einbinden")
    WorkshopFactory(meeting=meeting, round=2, title="Workflows digitalisieren")

    _login(page, live_server, contact.email)
    page.goto(f"{live_server.url}/treffen/")
    page.get_by_role("link", name="Workshoptag Digitalisierung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshoptag Digitalisierung")
    expect(page.get_by_test_id("online-link")).to_have_count(0)

    # Two workshops in one round: a clear message, nothing stored, the choice kept.
    page.get_by_label("Projektgruppe Digitales").check()
    page.get_by_label("Datenschutz früh einbinden").check()
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("höchstens einen Workshop in Runde 1")).to_be_visible()
    expect(page.get_by_label("Projektgruppe Digitales")).to_be_checked()
    assert Registration.objects.count() == 0

    page.get_by_label("Datenschutz früh einbinden").uncheck()
    page.get_by_label("Workflows digitalisieren").check()
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_test_id("registration-status")).to_contain_text(
        "Sie sind für dieses Treffen angemeldet."
    )
    expect(page.get_by_test_id("registration-status")).to_contain_text("Workflows digitalisieren")
    expect(page.get_by_test_id("online-link")).to_have_text("https://konferenz.example/workshoptag")

    page.goto(f"{live_server.url}/bereich/treffen/")
    expect(page.get_by_role("link", name="Workshoptag Digitalisierung")).to_be_visible()
    page.get_by_role("link", name="Workshoptag Digitalisierung").click()
    page.get_by_role("button", name="Meine Anmeldung stornieren").click()
    expect(page.get_by_text("Ihre Anmeldung wurde storniert.")).to_be_visible()
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_anonymous_visitor_sees_agenda_but_no_online_link(page, live_server):
    meeting = MeetingFactory(
        title="3. Digitaler Stammtisch", online_link="https://konferenz.example/geheim"
    )

    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")

    expect(page.get_by_role("heading", name="Tagesordnung")).to_be_visible()
    expect(page.get_by_text("melden sich an")).to_be_visible()
    assert "konferenz.example/geheim" not in page.content()


def test_meeting_pages_have_no_axe_violations(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    meeting = MeetingFactory(title="Fachtagung Krisenmanagement")
    WorkshopFactory(meeting=meeting, round=1, title="Warnmittel im Stadtgebiet")
    axe = Axe()

    for path in ("/treffen/", meeting.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        # The site-wide navigation belongs to the layout; this checks the meetings content.
        results = axe.run(page, context="#main")
        assert results.violations_count == 0, results.generate_report()
