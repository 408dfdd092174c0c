"""End to end on the real services: Redis broker, a Celery worker and an SMTP server."""

import time as time_module
from datetime import datetime, time, timedelta

import icalendar
import pytest
from django.db import transaction
from django.utils import timezone

from meetings import tasks
from meetings.services import invitations
from meetings.services import registration as registration_services
from tests.factories import ContactFactory

from .factories import MeetingFactory


def _attachment(message, content_type="text/calendar"):
    for part in message.walk():
        if part.get_content_type() == content_type:
            return part
    return None


@pytest.mark.services
def test_invitation_arrives_with_a_calendar_attachment(celery_worker_factory, smtp_on_free_port):
    recorder, port = smtp_on_free_port
    celery_worker_factory(smtp_port=port)
    meeting = MeetingFactory(title="4. Digitaler Stammtisch 2023")
    ContactFactory(email="digital@bad-duerkheim.example")

    with transaction.atomic():
        invitations.send_invitations(meeting=meeting)

    assert recorder.wait_for(1) == ["digital@bad-duerkheim.example"]
    message = recorder.received[0].message
    assert "4. Digitaler Stammtisch 2023" in str(message["Subject"])
    part = _attachment(message)
    assert part is not None
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "einladung.ics"
    event = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.ical_uid}@ikone-ds.de"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


@pytest.mark.services
def test_reminder_task_runs_on_the_worker_and_mails_once(celery_worker_factory, smtp_on_free_port):
    recorder, port = smtp_on_free_port
    celery_worker_factory(smtp_port=port)
    day = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time(10)))
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    registration_services.register(
        contact=ContactFactory(email="morgen@example.org"), meeting=meeting
    )

    tasks.send_meeting_reminders.delay()
    tasks.send_meeting_reminders.delay()

    assert recorder.wait_for(1) == ["morgen@example.org"]
    body = recorder.received[0].message.get_payload(decode=True).decode()
    assert "https://konferenz.example/ikone-stammtisch" in body
    # The second run (same worker, queued behind the first) found nothing left to remind.
    time_module.sleep(3)
    assert recorder.recipients() == ["morgen@example.org"]
