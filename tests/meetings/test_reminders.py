from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from meetings import tasks
from meetings.models import Meeting
from meetings.services import registration as registration_services
from meetings.services import reminders
from tests.factories import ContactFactory

from .factories import GuestRegistrationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_those_registered_for_tomorrow_get_one_reminder_with_the_online_link():
    meeting = MeetingFactory(
        start=_tomorrow_at(10),
        end=_tomorrow_at(12),
        online_link="https://konferenz.example/morgen",
    )
    contact = ContactFactory(email="angemeldet@example.org")
    registration_services.register(contact=contact, meeting=meeting)
    ContactFactory(email="nicht-angemeldet@example.org")

    sent = tasks.send_meeting_reminders()

    assert sent == 1
    mail = OutboundEmail.objects.get()
    assert mail.to == "angemeldet@example.org"
    assert "https://konferenz.example/morgen" in mail.body_text


def test_reminders_are_sent_only_once():
    meeting = MeetingFactory(start=_tomorrow_at(10), end=_tomorrow_at(12))
    GuestRegistrationFactory(meeting=meeting)

    reminders.send_reminders()
    reminders.send_reminders()

    assert OutboundEmail.objects.count() == 1
    assert meeting.registrations.get().reminder_sent_at is not None


def test_no_reminder_for_meetings_later_or_cancelled():
    GuestRegistrationFactory(meeting=MeetingFactory(start=_tomorrow_at(10) + timedelta(days=1)))
    GuestRegistrationFactory(
        meeting=MeetingFactory(
            start=_tomorrow_at(10), end=_tomorrow_at(11), status=Meeting.Status.CANCELLED
        )
    )

    assert reminders.send_reminders() == 0


def test_the_reminder_task_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "meetings.tasks.send_meeting_reminders" in tasks_scheduled
