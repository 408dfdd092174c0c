"""The audit trail of meetings: coordinator changes and actions, never members' own steps."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from meetings import minutes
from meetings.models import CalendarToken, Meeting, Registration
from meetings.services import invitations, scheduling
from meetings.services import registration as registration_services
from tests.factories import (
    ContactFactory,
    CoordinatorFactory,
    MemberContactFactory,
    MunicipalityFactory,
)
from tests.field_history import field_changes

from .factories import GuestRegistrationFactory, MeetingFactory
from .test_admin import _meeting_form
from .test_minutes import held_meeting, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


FIELD_HISTORY = ["create", "update", "delete", "bulk_update"]


def actions(meeting) -> list[tuple[str, dict]]:
    """The typed domain actions recorded for ``meeting``: (action type, data)."""
    return list(
        AuditEntry.objects.filter(content_type__model="meeting", object_id=str(meeting.pk))
        .exclude(action__in=FIELD_HISTORY)
        .order_by("at", "pk")
        .values_list("action", "changes")
    )


def test_coordinator_changing_a_meeting_in_the_admin_is_recorded_with_old_and_new_value(
    client, coordinator
):
    meeting = MeetingFactory(location="Rathaus Kaiserslautern", format=Meeting.Format.ON_SITE)
    client.force_login(coordinator)
    data = _meeting_form(
        title=meeting.title,
        slug=meeting.slug,
        kind=meeting.kind,
        format=meeting.format,
        location="Pfalzbibliothek",
        start_0=timezone.localtime(meeting.start).strftime("%d.%m.%Y"),
        start_1=timezone.localtime(meeting.start).strftime("%H:%M:%S"),
        end_0=timezone.localtime(meeting.end).strftime("%d.%m.%Y"),
        end_1=timezone.localtime(meeting.end).strftime("%H:%M:%S"),
    )
    data.pop("status")

    response = client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = field_changes(meeting).get()
    assert entry.actor == coordinator
    assert entry.changes["location"] == ["Rathaus Kaiserslautern", "Pfalzbibliothek"]
    assert "start" not in entry.changes


def test_moving_a_meeting_records_the_new_time_and_that_the_update_was_sent(coordinator):
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting)
    old_start = meeting.start
    new_start = old_start + timedelta(days=1)

    with acting(coordinator):
        scheduling.reschedule_meeting(
            meeting=meeting, start=new_start, end=new_start + timedelta(hours=2), by=coordinator
        )

    change = field_changes(meeting).get()
    # auditlog keeps date-times in UTC without the offset
    assert change.changes["start"] == [
        str(timezone.make_naive(moment, UTC)) for moment in (old_start, new_start)
    ]
    assert actions(meeting) == [
        (
            AuditAction.MEETING_RESCHEDULED,
            {"start": [old_start.isoformat(), new_start.isoformat()], "recipients": 1},
        )
    ]


def test_sending_invitations_leaves_an_entry_with_the_number_of_recipients(coordinator):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    ContactFactory()
    ContactFactory()
    ContactFactory(is_active=False)  # not invited

    with acting(coordinator):
        invitations.send_invitations(meeting=meeting, by=coordinator)

    assert actions(meeting) == [(AuditAction.MEETING_INVITED, {"recipients": 2})]
    entry = AuditEntry.objects.get(action=AuditAction.MEETING_INVITED)
    assert entry.actor == coordinator
    assert entry.object_repr == meeting.display_title
    # the announcement itself is a field change
    status = field_changes(meeting).get()
    assert status.changes["status"] == ["draft", "announced"]


def test_the_invite_action_in_the_admin_is_recorded(client, coordinator):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    ingelheim = MunicipalityFactory(name="Ingelheim")
    ContactFactory(municipality=ingelheim)
    ContactFactory()
    client.force_login(coordinator)

    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {
            "action": "invite",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "municipalities": [ingelheim.pk],
        },
    )

    assert actions(meeting) == [(AuditAction.MEETING_INVITED, {"recipients": 1})]
    assert AuditEntry.objects.get(action=AuditAction.MEETING_INVITED).actor == coordinator


def test_cancelling_records_how_many_were_told(coordinator):
    meeting = MeetingFactory()
    GuestRegistrationFactory(meeting=meeting)
    GuestRegistrationFactory(meeting=meeting)

    with acting(coordinator):
        scheduling.cancel_meeting(meeting=meeting, by=coordinator)

    assert actions(meeting) == [
        (AuditAction.MEETING_CANCELLED, {"was_announced": True, "recipients": 2})
    ]


def test_recording_attendance_is_recorded(coordinator):
    meeting = MeetingFactory(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )
    present = GuestRegistrationFactory(meeting=meeting)
    GuestRegistrationFactory(meeting=meeting)

    with acting(coordinator):
        registration_services.record_attendance(
            meeting=meeting, present=[present.pk], by=coordinator
        )

    # update() leaves no field history: the typed action names the places marked present
    assert actions(meeting) == [
        (
            AuditAction.MEETING_ATTENDANCE,
            {"present": 1, "registered": 2, "attended_registrations": [present.pk]},
        )
    ]
    assert not field_changes(model=Registration).exists()


def test_renewing_a_members_feed_address_in_the_admin_is_recorded(client, coordinator):
    contact = MemberContactFactory()
    token = CalendarToken.objects.create(contact=contact)
    client.force_login(coordinator)

    client.post(
        reverse("admin:meetings_calendartoken_changelist"),
        {"action": "renew", "_selected_action": [token.pk]},
    )

    entry = AuditEntry.objects.get(
        action=AuditAction.CALENDAR_RENEWED, content_type__model="calendartoken"
    )
    assert entry.actor == coordinator
    token.refresh_from_db()
    assert token.token not in str(entry.changes)


def test_members_registering_and_renewing_their_feed_are_not_coordinator_actions(client):
    contact = MemberContactFactory()
    meeting = MeetingFactory()
    client.force_login(contact.user)

    client.post(reverse("meetings:register", args=[meeting.slug]))
    client.get(reverse("meetings:mine"))
    client.post(reverse("meetings:renew_feed"))
    client.post(reverse("meetings:unregister", args=[meeting.slug]))

    assert meeting.registrations.count() == 1
    assert not AuditEntry.objects.exists()


def test_a_service_called_by_a_member_records_nothing():
    contact = MemberContactFactory()
    meeting = MeetingFactory()

    invitations.send_invitations(meeting=meeting, by=contact.user)

    assert not AuditEntry.objects.exists()


def test_each_step_of_the_minutes_is_a_typed_entry_with_the_status_before_and_after(
    coordinator,
):
    meeting = held_meeting()
    participant(meeting)

    minutes.circulate_minutes(
        meeting=meeting, deadline=timezone.now() + timedelta(days=7), by=coordinator
    )
    minutes.approve_minutes(meeting=meeting, by=coordinator)
    minutes.lock_minutes(meeting=meeting, by=coordinator)

    assert actions(meeting) == [
        (
            AuditAction.MINUTES_SENT_ROUND,
            {"minutes_status": ["draft", "circulated"], "recipients": 1},
        ),
        (
            AuditAction.MINUTES_APPROVED,
            {"minutes_status": ["circulated", "approved"], "deadline_passed": False},
        ),
        (AuditAction.MINUTES_LOCKED, {"minutes_status": ["approved", "locked"]}),
    ]
