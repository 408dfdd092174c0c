"""Invitation mails carry an .ics the calendar programs understand (parsed with icalendar)."""

from datetime import timedelta

import icalendar
import pytest

from ikone.outbox.models import OutboundEmail
from meetings.models import Invitation, Meeting
from meetings.services import common, invitations, scheduling
from meetings.services import registration as registration_services
from tests.factories import ContactFactory, MunicipalityFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _ics(mail: OutboundEmail) -> icalendar.Calendar:
    (attachment,) = mail.attachments
    assert attachment["filename"] == "einladung.ics"
    assert attachment["mimetype"].startswith("text/calendar; method=")
    return icalendar.Calendar.from_ical(attachment["text"])


def _event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def test_every_active_contact_gets_an_invitation_with_a_calendar_entry():
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="3. Digitaler Stammtisch 2023")
    ContactFactory(email="a@example.org")
    ContactFactory(email="b@example.org")
    ContactFactory(email="inaktiv@example.org", is_active=False)

    count = invitations.send_invitations(meeting=meeting)

    assert count == 2
    mails = OutboundEmail.objects.order_by("to")
    assert [m.to for m in mails] == ["a@example.org", "b@example.org"]
    assert "3. Digitaler Stammtisch 2023" in mails[0].subject
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED


def test_invitation_reaches_contacts_who_want_only_essential_mail():
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    ContactFactory(email="nur-wichtiges@example.org", only_essential_mail=True)

    assert invitations.send_invitations(meeting=meeting) == 1

    mail = OutboundEmail.objects.get(to="nur-wichtiges@example.org")
    assert mail.category == OutboundEmail.Category.ESSENTIAL


def test_invitation_ics_has_uid_sequence_method_and_berlin_time():
    meeting = MeetingFactory()
    ContactFactory()

    invitations.send_invitations(meeting=meeting)

    calendar = _ics(OutboundEmail.objects.get())
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{meeting.ical_uid}@ikone-ds.de"
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == meeting.start
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_invitation_does_not_reveal_the_online_link():
    meeting = MeetingFactory(online_link="https://konferenz.example/geheim")
    ContactFactory()

    invitations.send_invitations(meeting=meeting)

    mail = OutboundEmail.objects.get()
    assert "konferenz.example/geheim" not in mail.body_text
    assert "konferenz.example/geheim" not in mail.attachments[0]["text"]


def test_invitation_to_a_chosen_set_of_contacts():
    meeting = MeetingFactory()
    chosen = ContactFactory(municipality=MunicipalityFactory(name="Ingelheim"))
    ContactFactory()

    invitations.send_invitations(meeting=meeting, contacts=[chosen])

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [chosen.email]


def test_a_new_time_sends_an_update_with_the_same_uid_and_a_higher_sequence():
    meeting = MeetingFactory()
    contact = ContactFactory()
    invitations.send_invitations(meeting=meeting)
    invitation = OutboundEmail.objects.get()
    first = _event(_ics(invitation))

    scheduling.reschedule_meeting(
        meeting=meeting,
        start=meeting.start + timedelta(days=1),
        end=meeting.end + timedelta(days=1),
    )

    mail = OutboundEmail.objects.exclude(pk=invitation.pk).get(to=contact.email)
    assert "Neuer Termin" in mail.subject
    calendar = _ics(mail)
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == str(first["UID"])
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == meeting.start + timedelta(days=1)
    assert Invitation.objects.get().sequence == 1


def test_cancellation_sends_method_cancel_with_a_higher_sequence():
    meeting = MeetingFactory()
    ContactFactory(email="eingeladen@example.org")
    guest = registration_services.add_guest(meeting=meeting, name="Gast", email="gast@example.org")
    invitations.send_invitations(meeting=meeting)
    scheduling.reschedule_meeting(
        meeting=meeting,
        start=meeting.start + timedelta(hours=1),
        end=meeting.end + timedelta(hours=1),
    )

    scheduling.cancel_meeting(meeting=meeting)

    cancellations = OutboundEmail.objects.filter(subject__contains="Abgesagt")
    assert sorted(m.to for m in cancellations) == ["eingeladen@example.org", guest.email]
    calendar = _ics(cancellations[0])
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert cancellations[0].attachments[0]["mimetype"].startswith("text/calendar; method=CANCEL")
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_cancelled_meeting_cannot_be_announced():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)

    with pytest.raises(common.MeetingError):
        invitations.send_invitations(meeting=meeting)
    assert OutboundEmail.objects.count() == 0


def test_moving_a_draft_sends_nothing():
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    scheduling.reschedule_meeting(
        meeting=meeting,
        start=meeting.start + timedelta(days=7),
        end=meeting.end + timedelta(days=7),
    )

    assert OutboundEmail.objects.count() == 0
