"""Many members register for the last seats at once: capacity holds (PostgreSQL row locks)."""

import pytest
from django.db import connection

from meetings.models import Registration, WorkshopSeat
from meetings.services import common
from meetings.services import registration as registration_services
from tests.concurrency import race
from tests.factories import ContactFactory

from .factories import MeetingFactory, WorkshopFactory

THREADS = 12


@pytest.mark.services
def test_workshop_capacity_holds_when_many_register_at_once(transactional_db, postgres):
    assert connection.vendor == "postgresql"
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, capacity=3)
    contacts = [ContactFactory() for _ in range(THREADS)]

    outcomes = race(
        [
            (
                lambda c=c: registration_services.register(
                    contact=c, meeting=meeting, workshops=[workshop]
                )
            )
            for c in contacts
        ],
        refused=common.MeetingError,
    )

    assert [o for o in outcomes if o[0] == "error"] == []
    assert sum(1 for o in outcomes if o[0] == "ok") == 3
    assert workshop.seats.filter(status=WorkshopSeat.Status.CONFIRMED).count() == 3
    assert meeting.registrations.count() == 3


@pytest.mark.services
def test_meeting_capacity_and_waiting_list_hold_under_concurrency(transactional_db, postgres):
    meeting = MeetingFactory(capacity=4)
    contacts = [ContactFactory() for _ in range(THREADS)]

    outcomes = race(
        [
            (lambda c=c: registration_services.register(contact=c, meeting=meeting, waitlist=True))
            for c in contacts
        ],
        refused=common.MeetingError,
    )

    assert [o for o in outcomes if o[0] != "ok"] == []
    assert meeting.registrations.filter(status=Registration.Status.REGISTERED).count() == 4
    assert meeting.registrations.filter(status=Registration.Status.WAITING).count() == THREADS - 4


@pytest.mark.services
def test_nobody_is_registered_twice_when_clicking_twice(transactional_db, postgres):
    meeting = MeetingFactory()
    contact = ContactFactory()

    outcomes = race(
        [
            (lambda: registration_services.register(contact=contact, meeting=meeting))
            for _ in range(THREADS)
        ],
        refused=common.MeetingError,
    )

    assert [o for o in outcomes if o[0] == "error"] == []
    assert sum(1 for o in outcomes if o[0] == "ok") == 1
    assert meeting.registrations.filter(contact=contact).count() == 1
