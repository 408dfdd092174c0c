import pytest

from ikone.outbox.models import OutboundEmail
from meetings.models import Registration, WorkshopSeat
from meetings.services import common
from meetings.services import registration as registration_services
from tests.factories import ContactFactory

from .factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_first_on_the_workshop_waiting_list_moves_up_and_is_told():
    meeting = MeetingFactory(title="Fachtagung Krisenmanagement")
    workshop = WorkshopFactory(meeting=meeting, capacity=1, title="Smarte Laternen")
    holder = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[workshop]
    )
    first = registration_services.register(
        contact=ContactFactory(email="erste@example.org"),
        meeting=meeting,
        workshops=[workshop],
        waitlist=True,
    )
    second = registration_services.register(
        contact=ContactFactory(email="zweite@example.org"),
        meeting=meeting,
        workshops=[workshop],
        waitlist=True,
    )

    registration_services.cancel_registration(registration=holder)

    assert first.seats.get().status == WorkshopSeat.Status.CONFIRMED
    assert second.seats.get().status == WorkshopSeat.Status.WAITING
    mail = OutboundEmail.objects.get()
    assert mail.to == "erste@example.org"
    assert "Smarte Laternen" in mail.body_text
    assert "Fachtagung Krisenmanagement" in mail.subject


def test_meeting_waiting_list_moves_up_when_a_place_is_freed():
    meeting = MeetingFactory(capacity=1)
    holder = registration_services.register(contact=ContactFactory(), meeting=meeting)
    waiting = registration_services.register(
        contact=ContactFactory(email="wartend@example.org"), meeting=meeting, waitlist=True
    )

    registration_services.cancel_registration(registration=holder)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["wartend@example.org"]


def test_leaving_the_waiting_list_moves_nobody_up():
    meeting = MeetingFactory(capacity=1)
    registration_services.register(contact=ContactFactory(), meeting=meeting)
    waiting = registration_services.register(
        contact=ContactFactory(), meeting=meeting, waitlist=True
    )
    third = registration_services.register(contact=ContactFactory(), meeting=meeting, waitlist=True)

    registration_services.cancel_registration(registration=waiting)

    third.refresh_from_db()
    assert third.status == Registration.Status.WAITING
    assert OutboundEmail.objects.count() == 0


def test_changing_workshops_moves_the_waiting_list_up():
    meeting = MeetingFactory()
    full = WorkshopFactory(meeting=meeting, round=1, capacity=1)
    other = WorkshopFactory(meeting=meeting, round=1)
    holder = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[full]
    )
    waiting = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[full], waitlist=True
    )

    registration_services.change_workshops(registration=holder, workshops=[other])

    assert waiting.seats.get().status == WorkshopSeat.Status.CONFIRMED
    assert OutboundEmail.objects.filter(to=waiting.contact.email).exists()


def test_cancelling_twice_is_refused():
    meeting = MeetingFactory()
    registration = registration_services.register(contact=ContactFactory(), meeting=meeting)
    registration_services.cancel_registration(registration=registration)

    with pytest.raises(common.MeetingError):
        registration_services.cancel_registration(registration=registration)


def test_waiting_for_the_meeting_also_waits_for_the_workshop_and_moves_up_with_it():
    meeting = MeetingFactory(capacity=1)
    workshop = WorkshopFactory(meeting=meeting, capacity=5)
    holder = registration_services.register(contact=ContactFactory(), meeting=meeting)
    waiting = registration_services.register(
        contact=ContactFactory(), meeting=meeting, workshops=[workshop], waitlist=True
    )
    assert waiting.seats.get().status == WorkshopSeat.Status.WAITING

    registration_services.cancel_registration(registration=holder)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert waiting.seats.get().status == WorkshopSeat.Status.CONFIRMED
