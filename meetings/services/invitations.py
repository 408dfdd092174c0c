"""Invitations with a calendar entry, and the updates that reach everybody invited or registered.

Each address invited is recorded, so a later change or a cancellation reaches the same people.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit, pagecache
from ikone.audit import AuditAction
from ikone.outbox.models import OutboundEmail
from ikone.outbox.services import Message, queue_emails
from members.models import Contact
from members.selectors import contact_audience

from .. import ical
from ..models import Invitation, Meeting, Registration
from .common import MeetingError, ics_attachment, language_of, mail_context, reachable


def send_invitations(
    *, meeting: Meeting, contacts: Iterable[Contact] | None = None, by=None
) -> int:
    """Invite contacts (default: all active) by e-mail with an ``.ics`` attached.

    A draft meeting is announced by this. Each address is recorded, so later changes and a
    cancellation reach the same people. Returns how many mails were queued.
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=meeting.pk)
        )
        if meeting.is_cancelled:
            raise MeetingError(_("A cancelled meeting cannot be announced."))
        if meeting.is_past:
            raise MeetingError(_("This meeting is already over."))
        if meeting.status == Meeting.Status.DRAFT:
            meeting.status = Meeting.Status.ANNOUNCED
            meeting.save(update_fields=["status", "updated_at"])
        if contacts is None:
            contacts = contact_audience()
        recipients = {}
        for contact in contacts:
            if contact.is_active and reachable(contact.email):
                recipients.setdefault(contact.email.lower(), contact)
        ics_text = ical.invitation(meeting)
        attachment = ics_attachment(ics_text)
        reference = f"meetings.invitation:{meeting.pk}"
        base_context = mail_context(meeting)
        messages = [
            Message(
                to=email,
                template="meetings/invitation",
                context={**base_context, "name": contact.full_name},
                language=language_of(contact),
                attachments=[attachment],
                # invitations are essential: they arrive also for "only essential mail"
                category=OutboundEmail.Category.ESSENTIAL,
                reference=reference,
            )
            for email, contact in recipients.items()
        ]
        queue_emails(messages)
        now = timezone.now()
        Invitation.objects.bulk_create(
            [
                Invitation(
                    meeting=meeting,
                    contact=contact,
                    email=email,
                    sequence=meeting.ical_sequence,
                    sent_at=now,
                )
                for email, contact in recipients.items()
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["meeting", "email"],
            update_fields=["sequence", "sent_at"],
        )
        pagecache.invalidate()  # bulk_create sends no post_save: the OParl state "eingeladen"
        audit.record(
            action=AuditAction.MEETING_INVITED,
            obj=meeting,
            by=by,
            data={"recipients": len(messages)},
        )
        return len(messages)


def update_recipients(meeting: Meeting) -> dict[str, Contact | None]:
    """Everybody who got the invitation or holds a place."""
    recipients: dict[str, Contact | None] = {}
    for invitation in meeting.invitations.select_related("contact"):
        recipients.setdefault(invitation.email.lower(), invitation.contact)
    for registration in meeting.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).select_related("contact"):
        recipients.setdefault(registration.email.lower(), registration.contact)
    return {email: contact for email, contact in recipients.items() if reachable(email)}


def send_update(meeting: Meeting, *, cancel: bool, previous_start=None) -> int:
    ics_text = ical.invitation(meeting, cancel=cancel)
    attachment = ics_attachment(ics_text, cancel=cancel)
    template = "meetings/cancellation" if cancel else "meetings/update"
    base_context = mail_context(meeting, previous_start=previous_start)
    recipients = update_recipients(meeting)
    queue_emails(
        Message(
            to=email,
            template=template,
            context={**base_context, "name": contact.full_name if contact else ""},
            language=language_of(contact),
            attachments=[attachment],
            reference=f"meetings.update:{meeting.pk}:{meeting.ical_sequence}",
        )
        for email, contact in recipients.items()
    )
    meeting.invitations.update(sequence=meeting.ical_sequence)
    return len(recipients)


def cancellation_recipient_count(*, meeting: Meeting) -> int:
    """How many people a cancellation of the meeting would write to (none for a draft)."""
    if meeting.status != Meeting.Status.ANNOUNCED:
        return 0
    return len(update_recipients(meeting))
