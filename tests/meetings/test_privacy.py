"""GDPR for meetings: export of a person's places, invitations and feed; anonymisation."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from ikone.audit import AuditAction, acting
from ikone.models import AuditEntry
from ikone.outbox.models import OutboundEmail
from ikone.privacy import Subject, anonymise_subject, export_subject
from meetings.models import ActionItem, CalendarToken, Invitation, Meeting, Registration
from meetings.services import feeds, invitations, scheduling
from meetings.services import registration as registration_services
from members.models import Municipality
from tests.factories import CoordinatorFactory, MemberContactFactory, MunicipalityFactory

from .factories import AgendaItemFactory, GuestRegistrationFactory, MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

EMAIL = "greta.geheim@kaiserslautern.example"
GUEST_EMAIL = "g.geheim@privat.example"
LAST_NAME = "Geheimnisvoll"


def meetings_text() -> str:
    """Every value of every row of the meetings app (like ``all_stored_text``)."""
    chunks = []
    for model in apps.get_app_config("meetings").get_models():
        for row in model._default_manager.all().values():
            chunks.append(json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(chunks)


@pytest.fixture
def person():
    """Greta: a member with a place and a workshop, an invitation, a feed and a guest place."""
    municipality = MunicipalityFactory(name="Kaiserslautern")
    contact = MemberContactFactory(
        municipality=municipality, email=EMAIL, first_name="Greta", last_name=LAST_NAME
    )
    coordinator = CoordinatorFactory()
    upcoming = MeetingFactory(title="Fachtagung Verwaltungscloud", capacity=2)
    workshop = WorkshopFactory(meeting=upcoming, title="Workshop Cloud-Vergabe")
    with_others = MemberContactFactory()
    invitations.send_invitations(meeting=upcoming, contacts=[contact, with_others])
    registration_services.register(
        contact=contact, meeting=upcoming, workshops=[workshop], by=contact.user
    )
    registration_services.register(contact=with_others, meeting=upcoming)
    waiting = MemberContactFactory()
    registration_services.register(contact=waiting, meeting=upcoming, waitlist=True)
    AgendaItemFactory(meeting=upcoming, speaker=f"Greta {LAST_NAME}", title="Cloud im Amt")

    held = MeetingFactory(
        title="Stammtisch Bürgerportal",
        start=timezone.now() - timedelta(days=30),
        end=timezone.now() - timedelta(days=30, hours=-2),
        status=Meeting.Status.HELD,
        minutes=f"Greta {LAST_NAME} ({EMAIL.upper()}) stellt das Bürgerportal vor.",
    )
    Registration.objects.create(meeting=held, contact=contact, attended=True)
    ActionItem.objects.create(meeting=held, what="Folien verschicken", who=f"Greta {LAST_NAME}")
    # Before she was a contact person, she came to a meeting as a guest with a private address.
    guest = GuestRegistrationFactory(
        meeting=held,
        guest_name=f"Greta {LAST_NAME}",
        guest_email=GUEST_EMAIL,
        guest_organisation="Ingenieurbüro Geheimnisvoll",
        attended=True,
    )
    token = feeds.calendar_token_for(contact=contact)
    return {
        "contact": contact,
        "coordinator": coordinator,
        "upcoming": upcoming,
        "held": held,
        "guest": guest,
        "token": token,
        "municipality": municipality,
    }


def subject_of(person) -> Subject:
    subject = Subject.for_contact(person["contact"])
    subject.emails.add(GUEST_EMAIL)  # the coordinator adds the address she also used
    return subject


def test_export_lists_places_workshops_invitations_and_the_feed_but_not_its_secret(person):
    data = export_subject(subject_of(person))["meetings"]

    places = {r["meeting"]: r for r in data["registrations"] if not r["as_guest"]}
    assert places["Fachtagung Verwaltungscloud"]["status"] == "registered"
    assert places["Fachtagung Verwaltungscloud"]["workshops"] == [
        {"title": "Workshop Cloud-Vergabe", "round": 1, "status": "confirmed"}
    ]
    assert places["Stammtisch Bürgerportal"]["attended"] is True
    as_guest = [r for r in data["registrations"] if r["as_guest"]]
    assert as_guest[0]["guest_email"] == GUEST_EMAIL
    assert as_guest[0]["meeting"] == "Stammtisch Bürgerportal"
    assert data["invitations_received"][0]["email"] == EMAIL
    assert data["calendar_feed"]["exists"] is True
    assert person["token"].token not in json.dumps(data)
    json.dumps(data)  # JSON-able


def test_export_lists_the_tasks_a_contact_is_responsible_for():
    from meetings.models import ActionItem

    contact = MemberContactFactory()
    meeting = MeetingFactory(title="Stammtisch Aufgaben")
    ActionItem.objects.create(meeting=meeting, what="Folien teilen", owner=contact)
    ActionItem.objects.create(meeting=meeting, what="Nicht meine", owner=MemberContactFactory())

    data = export_subject(Subject.for_contact(contact))["meetings"]

    assert data["action_items"] == [
        {"what": "Folien teilen", "meeting": "Stammtisch Aufgaben", "due": None, "status": "open"}
    ]


def test_export_of_somebody_without_meetings_is_empty():
    contact = MemberContactFactory()

    data = export_subject(Subject.for_contact(contact))["meetings"]

    assert data["registrations"] == []
    assert data["invitations_received"] == []
    assert data["calendar_feed"] is None


def test_anonymisation_leaves_no_name_or_address_in_any_meetings_row(person):
    assert EMAIL in meetings_text()
    assert LAST_NAME in meetings_text()

    anonymise_subject(subject_of(person), by=person["coordinator"])

    stored = meetings_text()
    assert EMAIL not in stored.lower()
    assert GUEST_EMAIL not in stored
    assert LAST_NAME not in stored
    assert person["token"].token not in stored
    assert not CalendarToken.objects.filter(contact=person["contact"]).exists()
    assert not Invitation.objects.filter(contact=person["contact"]).exists()
    # the other person's invitation stays
    assert Invitation.objects.filter(meeting=person["upcoming"]).count() == 1


def test_anonymisation_keeps_participant_counts_and_the_municipalitys_participation(person):
    upcoming, held = person["upcoming"], person["held"]

    def counts():
        return {
            meeting.pk: (
                meeting.registrations.filter(status=Registration.Status.REGISTERED).count(),
                meeting.registrations.filter(status=Registration.Status.WAITING).count(),
                meeting.registrations.filter(attended=True).count(),
            )
            for meeting in (upcoming, held)
        }

    def participation():
        return Registration.objects.filter(
            contact__municipality=person["municipality"], attended=True
        ).count()

    before, taking_part = counts(), participation()

    anonymise_subject(subject_of(person), by=person["coordinator"])

    assert counts() == before
    assert participation() == taking_part == 1
    assert Municipality.objects.filter(pk=person["municipality"].pk).exists()
    seat = person["upcoming"].workshops.get().seats.get()
    assert seat.status == "confirmed"  # the workshop's seat count stays as well


def test_a_guest_registered_by_address_only_is_anonymised():
    """A coordinator added her as an outside guest, before she had a contact record."""
    held = MeetingFactory(status=Meeting.Status.HELD)
    guest = GuestRegistrationFactory(
        meeting=held,
        guest_name="Hanna Hinterhuber",
        guest_email="Hanna.Hinterhuber@Landkreis.example",
        guest_organisation="Hinterhuber IT",
        attended=True,
    )
    contact = MemberContactFactory(
        email="hanna.hinterhuber@landkreis.example", first_name="Hanna", last_name="Hinterhuber"
    )

    anonymise_subject(Subject.for_contact(contact), by=CoordinatorFactory())

    guest.refresh_from_db()
    assert guest.guest_email == f"anonymised-{contact.pk}@anonymised.invalid"
    assert guest.guest_name == "–"
    assert guest.guest_organisation == ""
    assert guest.attended is True
    assert held.registrations.count() == 1
    assert "Hinterhuber" not in meetings_text()


def test_anonymisation_copies_no_removed_value_into_the_audit_trail(person):
    coordinator = person["coordinator"]

    with acting(coordinator):  # as from the admin: field changes are recorded
        anonymise_subject(subject_of(person), by=coordinator)

    entries = AuditEntry.objects.filter(content_type__app_label="meetings")
    trail = json.dumps(list(entries.values()), default=str, ensure_ascii=False)
    assert LAST_NAME not in trail
    assert GUEST_EMAIL not in trail
    assert AuditEntry.objects.filter(
        actor=coordinator, action=AuditAction.PERSONAL_DATA_REMOVED
    ).exists()


def test_no_more_mail_goes_to_an_anonymised_person(person):
    anonymise_subject(subject_of(person), by=person["coordinator"])
    OutboundEmail.objects.all().delete()

    scheduling.cancel_meeting(meeting=person["upcoming"])

    recipients = set(OutboundEmail.objects.values_list("to", flat=True))
    assert recipients  # the others are told
    assert not any(address.endswith("@anonymised.invalid") for address in recipients)
