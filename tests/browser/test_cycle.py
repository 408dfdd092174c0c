"""The Stammtisch cycle in Chromium: the coordinator builds an agenda from the demo ranking,
sends the minutes round, a member corrects them, the coordinator approves, and the public
summary appears for visitors."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import demo as meetings_demo
from meetings.models import Meeting, MinutesCorrection, MinutesStatus, Registration
from members import demo as members_demo
from members.models import Contact
from surveys import demo as surveys_demo
from tests.browser.privacy import RequestRecorder, log_in
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture(autouse=True)
def _patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_agenda_from_the_ranking_then_minutes_corrected_approved_and_published(
    page, live_server, network_topics
):
    base = members_demo.load()
    meetings_demo.load(base=base)
    surveys_demo.load(base=base)
    coordinator = base["coordinator"]
    member = Contact.objects.get(user=base["member"])
    planned = Meeting.objects.upcoming().filter(series__isnull=False)[1]
    start = timezone.now() - timedelta(days=2)
    held = MeetingFactory(
        title="Stammtisch Laternen",
        start=start,
        end=start + timedelta(hours=2),
        status=Meeting.Status.HELD,
        minutes="## Smarte Laternen\n\nDas Projekt wird nicht weiter verfolgt.",
        public_summary="Smarte Laternen warnen mehrsprachig.",
    )
    Registration.objects.create(meeting=held, contact=member, attended=True)
    recorder = RequestRecorder(page)

    # The coordinator takes the best-ranked topic into the agenda of a planned Stammtisch.
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/admin/meetings/meeting/{planned.pk}/change/")
    page.get_by_role("link", name="Tagesordnung vorschlagen").click()
    first_topic = page.locator('[data-testid^="row-topic-"]').first
    title = first_topic.locator('input[name^="title-"]').input_value()
    first_topic.locator('input[name="pick"]').check()
    page.get_by_role("button", name="Tagesordnungspunkte anlegen").click()
    expect(page.get_by_text("Tagesordnungspunkte wurden angelegt")).to_be_visible()
    assert title in list(planned.agenda_items.values_list("title", flat=True))

    # … and sends the minutes of the last meeting round for corrections.
    page.goto(f"{live_server.url}/admin/meetings/meeting/{held.pk}/protokoll/")
    page.get_by_label("Korrekturen bis").fill(
        (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Versenden").click()
    expect(page.get_by_text("zur Korrektur versandt")).to_be_visible()

    # A participant corrects them on the meeting page.
    page.context.clear_cookies()
    log_in(page, live_server, member.user)
    page.goto(live_server.url + held.get_absolute_url())
    expect(page.get_by_test_id("minutes-state")).to_contain_text("zur Korrektur")
    page.get_by_label("Ihre Korrektur").fill("Kaiserslautern prüft eine Fortsetzung.")
    page.get_by_role("button", name="Korrektur senden").click()
    expect(page.get_by_text("Vielen Dank")).to_be_visible()
    assert MinutesCorrection.objects.filter(contact=member).exists()

    # The coordinator takes the correction over and approves.
    page.context.clear_cookies()
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/admin/meetings/meeting/{held.pk}/protokoll/")
    expect(page.get_by_text("Kaiserslautern prüft eine Fortsetzung.")).to_be_visible()
    page.get_by_role("button", name="Übernommen", exact=True).click()
    page.get_by_role("button", name="Protokoll genehmigen").click()
    expect(page.get_by_text("Das Protokoll ist genehmigt.")).to_be_visible()
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.APPROVED

    # Visitors now read the public summary, never the minutes.
    page.context.clear_cookies()
    page.goto(live_server.url + held.get_absolute_url())
    expect(page.get_by_text("Smarte Laternen warnen mehrsprachig.")).to_be_visible()
    expect(page.get_by_test_id("minutes")).to_have_count(0)
    recorder.assert_local()
