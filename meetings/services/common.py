"""What the meeting services share: their error and the pieces of their mail."""

from __future__ import annotations

from django.conf import settings

from ikone.errors import DomainError
from ikone.outbox.services import Attachment
from ikone.privacy import ANONYMOUS_DOMAIN
from members.models import Contact

from ..models import Meeting

ICS_MIMETYPE_REQUEST = "text/calendar; method=REQUEST; charset=utf-8"
ICS_MIMETYPE_CANCEL = "text/calendar; method=CANCEL; charset=utf-8"


class MeetingError(DomainError):
    """A rule about meetings or registrations forbids the change."""


def mail_context(meeting: Meeting, **extra) -> dict:
    return {
        "meeting": meeting,
        "title": meeting.display_title,
        "start": meeting.start,
        "end": meeting.end,
        "url": settings.SITE_URL + meeting.get_absolute_url(),
        **extra,
    }


def language_of(contact: Contact | None) -> str | None:
    return contact.language if contact is not None else None


def reachable(email: str) -> bool:
    """False for the placeholder address of a person who was anonymised (GDPR)."""
    return bool(email) and not email.lower().endswith("@" + ANONYMOUS_DOMAIN)


def ics_attachment(text: str, *, cancel: bool = False) -> Attachment:
    return Attachment(
        filename="einladung.ics",
        mimetype=ICS_MIMETYPE_CANCEL if cancel else ICS_MIMETYPE_REQUEST,
        text=text,
    )
