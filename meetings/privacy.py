"""Personal data in meetings (collected by ``ikone.privacy``).

A registration is kept when its person is anonymised: it still counts for the meeting's
participants and, through the (anonymised, inactive) contact record, for the municipality's
participation figures. It no longer names the person: a member's registration only points to
the contact record, which ``members.privacy`` turns into a nameless placeholder; a guest's
name, address and organisation are replaced. Invitations (only kept to send updates to the
same addresses) and the personal calendar address are deleted. Names and addresses written
into agendas, minutes and action items are removed from the texts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, Prefetch, Q, QuerySet

from ikone.dates import iso
from ikone.privacy import ANONYMOUS_DOMAIN, Subject, mentions, rewrite, scrubbed_fields

from . import allocation_privacy
from .models import (
    ActionItem,
    AgendaItem,
    CalendarToken,
    Invitation,
    Meeting,
    MinutesAddendum,
    MinutesCorrection,
    MinutesVersion,
    Registration,
    Workshop,
    WorkshopSeat,
)

COVERS = {
    "meetings.Registration": "places at meetings (own or as a guest): exported; kept for the "
    "participant counts and the municipality's participation, the guest's name, address and "
    "organisation are replaced; 'created by' keeps pointing to the anonymised login",
    "meetings.Invitation": "invitations received: exported; deleted",
    "meetings.CalendarToken": "the personal calendar address: its existence exported (never "
    "the secret); deleted",
    "meetings.Meeting": "descriptions, summaries and minutes: names and addresses removed; "
    "'minutes approved by' keeps pointing to the anonymised login",
    "meetings.MinutesVersion": "saved versions of minutes and summaries: names and addresses "
    "removed; 'saved by' keeps pointing to the anonymised login",
    "meetings.MinutesCorrection": "corrections a participant left on the minutes: exported; "
    "kept (the coordination team worked with them) pointing to the anonymised contact, names "
    "and addresses removed from text and reply",
    "meetings.MinutesAddendum": "addenda to minutes: names and addresses removed; 'added by' "
    "keeps pointing to the anonymised login",
    "meetings.AgendaItem": "speakers and descriptions: names and addresses removed",
    "meetings.Workshop": "hosts and descriptions: names and addresses removed",
    "meetings.ActionItem": "what, who and the note on closing: names and addresses removed; "
    "the tasks a contact is responsible for are exported and keep pointing to the anonymised "
    "contact; 'closed by' keeps pointing to the anonymised login",
    **allocation_privacy.COVERS,
}

# Free-text fields that may name a person (a speaker, the one responsible for a task).
TEXT_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Meeting: ("description", "public_summary", "minutes"),
    AgendaItem: ("title", "description", "speaker"),
    Workshop: ("title", "description", "hosts"),
    ActionItem: ("what", "who", "closed_note"),
    MinutesVersion: ("minutes", "public_summary"),
    MinutesCorrection: ("text", "reply"),
    MinutesAddendum: ("text",),
}
GUEST_NAME = "–"


def _placeholder(subject: Subject) -> str:
    if subject.contact is None and subject.user is None:
        return f"anonymised-guest@{ANONYMOUS_DOMAIN}"
    return subject.placeholder_email


def _by_email(field: str, subject: Subject) -> Q:
    query = Q(pk__in=[])
    for email in subject.emails:
        if email:
            query |= Q(**{f"{field}__iexact": email})
    return query


def _registrations(subject: Subject) -> QuerySet[Registration]:
    """The person's own places and the places they got as a guest (by e-mail address)."""
    query = _by_email("guest_email", subject)
    if subject.contact is not None:
        query |= Q(contact=subject.contact)
    return Registration.objects.filter(query)


def _invitations(subject: Subject) -> QuerySet[Invitation]:
    query = _by_email("email", subject)
    if subject.contact is not None:
        query |= Q(contact=subject.contact)
    return Invitation.objects.filter(query)


def export(subject: Subject) -> dict[str, Any]:
    registrations = (
        _registrations(subject)
        .select_related("meeting__series")
        .prefetch_related(
            Prefetch("seats", queryset=WorkshopSeat.objects.select_related("workshop"))
        )
        .order_by("meeting__start", "pk")
    )
    data: dict[str, Any] = {
        "registrations": [
            {
                "meeting": r.meeting.display_title,
                "start": iso(r.meeting.start),
                "end": iso(r.meeting.end),
                "meeting_status": r.meeting.status,
                "status": r.status,
                "attended": r.attended,
                "as_guest": r.contact_id is None,
                "guest_name": r.guest_name,
                "guest_email": r.guest_email,
                "guest_organisation": r.guest_organisation,
                "registered_at": iso(r.created_at),
                "cancelled_at": iso(r.cancelled_at),
                "reminder_sent_at": iso(r.reminder_sent_at),
                "workshops": [
                    {"title": s.workshop.title, "round": s.workshop.round, "status": s.status}
                    for s in r.seats.all()
                ],
            }
            for r in registrations
        ],
        "invitations_received": [
            {
                "meeting": i.meeting.display_title,
                "start": iso(i.meeting.start),
                "email": i.email,
                "sent_at": iso(i.sent_at),
            }
            for i in _invitations(subject)
            .select_related("meeting__series")
            .order_by("meeting__start", "pk")
        ],
        "workshop_wishes": allocation_privacy.export(_registrations(subject)),
        "calendar_feed": None,
        "registrations_entered_for_others": [],
        "action_items": [],
        "minutes_corrections": [],
    }
    if subject.contact is not None:
        data["action_items"] = [
            {
                "what": item.what,
                "meeting": item.meeting.display_title,
                "due": iso(item.due),
                "status": item.status,
                **({"closed_note": item.closed_note} if item.closed_note else {}),
            }
            for item in ActionItem.objects.filter(owner=subject.contact)
            .select_related("meeting__series")
            .order_by("pk")
        ]
        data["minutes_corrections"] = [
            {
                "meeting": correction.meeting.display_title,
                "written_at": iso(correction.created_at),
                "text": correction.text,
                "status": correction.status,
                "reply": correction.reply,
            }
            for correction in MinutesCorrection.objects.filter(contact=subject.contact)
            .select_related("meeting__series")
            .order_by("pk")
        ]
        token = CalendarToken.objects.filter(contact=subject.contact).first()
        if token is not None:
            # The address itself is a secret: it is shown on the "My meetings" page only.
            data["calendar_feed"] = {"exists": True, "renewed_at": iso(token.created_at)}
    if subject.user is not None:
        own = Q(contact=subject.contact) if subject.contact is not None else Q(pk__in=[])
        data["registrations_entered_for_others"] = [
            {"meeting": r.meeting.display_title, "start": iso(r.meeting.start)}
            for r in Registration.objects.filter(created_by=subject.user)
            .exclude(own)
            .select_related("meeting__series")
            .order_by("meeting__start", "pk")
        ]
    return data


def _anonymise_registrations(subject: Subject, *, by: AbstractBaseUser) -> None:
    placeholder = _placeholder(subject)
    for registration in _registrations(subject).only(
        "pk", "contact", "guest_name", "guest_email", "guest_organisation"
    ):
        if registration.contact_id is not None:
            changed = {"guest_name": "", "guest_email": "", "guest_organisation": ""}
        else:
            changed = {
                "guest_name": GUEST_NAME,
                "guest_email": placeholder,
                "guest_organisation": "",
            }
        if all(getattr(registration, name) == value for name, value in changed.items()):
            continue
        rewrite(registration, changed, by=by)


def _scrub_texts(subject: Subject, *, by: AbstractBaseUser) -> None:
    for model, fields in TEXT_FIELDS.items():
        found = mentions(fields, subject)
        if found is None:
            continue
        for row in model._default_manager.filter(found).only("pk", *fields):
            changed = scrubbed_fields(row, fields, subject)
            if changed:
                rewrite(row, changed, by=by)


def anonymise(subject: Subject, *, by: AbstractBaseUser) -> None:
    if subject.contact is not None:
        CalendarToken.objects.filter(contact=subject.contact).delete()
    _invitations(subject).delete()
    allocation_privacy.anonymise(_registrations(subject))
    _anonymise_registrations(subject, by=by)
    _scrub_texts(subject, by=by)
