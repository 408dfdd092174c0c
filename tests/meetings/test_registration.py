from datetime import timedelta

import pytest
from django.utils import timezone

from ikone.outbox.models import OutboundEmail
from meetings.models import Meeting, Registration, WorkshopSeat
from meetings.services import common
from meetings.services import registration as registration_services
from tests.factories import ContactFactory, CoordinatorFactory

from .factories import GuestRegistrationFactory, MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_member_registers_for_an_announced_meeting():
    meeting = MeetingFactory()
    contact = ContactFactory()

    registration = registration_services.register(contact=contact, meeting=meeting)

    assert registration.status == Registration.Status.REGISTERED
    assert list(meeting.registrations.all()) == [registration]


def test_registering_twice_is_refused():
    meeting = MeetingFactory()
    contact = ContactFactory()
    registration_services.register(contact=contact, meeting=meeting)

    with pytest.raises(common.MeetingError, match="bereits angemeldet"):
        registration_services.register(contact=contact, meeting=meeting)
    assert meeting.registrations.count() == 1


def test_registering_again_after_cancelling_is_allowed():
    meeting = MeetingFactory()
    contact = ContactFactory()
    first = registration_services.register(contact=contact, meeting=meeting)
    registration_services.cancel_registration(registration=first)

    again = registration_services.register(contact=contact, meeting=meeting)

    assert again.status == Registration.Status.REGISTERED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Meeting.Status.CANCELLED}, "abgesagt"),
        ({"status": Meeting.Status.DRAFT}, "geschlossen"),
        ({"registration_deadline": timezone.now() - timedelta(hours=1)}, "Anmeldeschluss"),
    ],
)
def test_registration_is_refused_when_closed(changes, message):
    meeting = MeetingFactory(**changes)

    with pytest.raises(common.MeetingError, match=message):
        registration_services.register(contact=ContactFactory(), meeting=meeting)
    assert meeting.registrations.count() == 0


def test_registration_for_a_past_meeting_is_refused():
    start = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))

    with pytest.raises(common.MeetingError):
        registration_services.register(contact=ContactFactory(), meeting=meeting)


def test_a_full_meeting_refuses_without_waiting_list_and_accepts_with_it():
    meeting = MeetingFactory(capacity=1)
    registration_services.register(contact=ContactFactory(), meeting=meeting)

    with pytest.raises(common.MeetingError, match="ausgebucht"):
        registration_services.register(contact=ContactFactory(), meeting=meeting)
    waiting = registration_services.register(
        contact=ContactFactory(), meeting=meeting, waitlist=True
    )

    assert waiting.status == Registration.Status.WAITING


def test_participant_takes_two_workshops_in_different_rounds():
    meeting = MeetingFactory(kind=Meeting.Kind.CONFERENCE)
    first = WorkshopFactory(meeting=meeting, round=1)
    second = WorkshopFactory(meeting=meeting, round=2)

    registration = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[first, second]
    )

    assert {s.workshop for s in registration.seats.all()} == {first, second}
    assert all(s.status == WorkshopSeat.Status.CONFIRMED for s in registration.seats.all())


def test_a_third_workshop_is_refused():
    meeting = MeetingFactory()
    workshops = [WorkshopFactory(meeting=meeting, round=r) for r in (1, 2, 3)]

    with pytest.raises(common.MeetingError, match="höchstens 2 Workshops") as error:
        registration_services.register(
            contact=ContactFactory(), meeting=meeting, workshops=workshops
        )
    assert error.value.field == "workshops"
    assert meeting.registrations.count() == 0


def test_two_workshops_in_one_round_are_refused():
    meeting = MeetingFactory()
    workshops = [WorkshopFactory(meeting=meeting, round=1) for _ in range(2)]

    with pytest.raises(common.MeetingError, match="einen Workshop in Runde 1"):
        registration_services.register(
            contact=ContactFactory(), meeting=meeting, workshops=workshops
        )


def test_a_workshop_of_another_meeting_is_refused():
    meeting = MeetingFactory()
    foreign = WorkshopFactory()

    with pytest.raises(common.MeetingError):
        registration_services.register(
            contact=ContactFactory(), meeting=meeting, workshops=[foreign]
        )


def test_a_full_workshop_refuses_and_offers_the_waiting_list():
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, capacity=1, title="Smarte Laternen")
    registration_services.register(contact=ContactFactory(), meeting=meeting, workshops=[workshop])

    with pytest.raises(common.MeetingError, match="Smarte Laternen.*Warteliste"):
        registration_services.register(
            contact=ContactFactory(), meeting=meeting, workshops=[workshop]
        )
    registration = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[workshop], waitlist=True
    )

    assert registration.seats.get().status == WorkshopSeat.Status.WAITING
    assert workshop.seats.filter(status=WorkshopSeat.Status.CONFIRMED).count() == 1


def test_changing_workshops_frees_the_old_seat():
    meeting = MeetingFactory()
    old = WorkshopFactory(meeting=meeting, round=1, capacity=1)
    new = WorkshopFactory(meeting=meeting, round=1)
    registration = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[old]
    )

    registration_services.change_workshops(registration=registration, workshops=[new])

    active = registration.seats.exclude(status=WorkshopSeat.Status.CANCELLED)
    assert [s.workshop for s in active] == [new]
    assert old.seats.filter(status=WorkshopSeat.Status.CONFIRMED).count() == 0


def test_coordinator_adds_an_outside_guest():
    meeting = MeetingFactory(capacity=1)
    registration_services.register(contact=ContactFactory(), meeting=meeting)

    guest = registration_services.add_guest(
        meeting=meeting,
        name="Frank Huber",
        email="Frank.Huber@KL-digital.example",
        organisation="KL.digital GmbH",
        by=CoordinatorFactory(),
    )

    assert guest.email == "frank.huber@kl-digital.example"
    assert guest.organisation == "KL.digital GmbH"


def test_an_outside_guest_needs_an_email_address():
    meeting = MeetingFactory()

    with pytest.raises(common.MeetingError) as error:
        registration_services.add_guest(meeting=meeting, name="Frank Huber", email="  ")
    assert error.value.field == "guest_email"
    assert meeting.registrations.count() == 0


def test_the_same_guest_is_not_added_twice():
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting, guest_email="gast@example.org")

    with pytest.raises(common.MeetingError):
        registration_services.add_guest(meeting=meeting, name="Gast", email="GAST@example.org")


def test_attendance_is_recorded_and_the_meeting_counts_as_held():
    start = timezone.now() - timedelta(hours=3)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    present = GuestRegistrationFactory(meeting=meeting)
    absent = GuestRegistrationFactory(meeting=meeting)

    count = registration_services.record_attendance(meeting=meeting, present=[present.pk])

    present.refresh_from_db()
    absent.refresh_from_db()
    meeting.refresh_from_db()
    assert count == 1
    assert (present.attended, absent.attended) == (True, False)
    assert meeting.status == Meeting.Status.HELD


def test_attendance_cannot_be_recorded_before_the_meeting():
    meeting = MeetingFactory()

    with pytest.raises(common.MeetingError):
        registration_services.record_attendance(meeting=meeting, present=[])


def test_registration_sends_no_mail_by_itself():
    registration_services.register(contact=ContactFactory(), meeting=MeetingFactory())

    assert OutboundEmail.objects.count() == 0
