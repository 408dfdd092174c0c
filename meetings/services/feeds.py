"""The secret address of a member's personal calendar feed."""

from __future__ import annotations

from django.db import transaction

from ikone import audit
from ikone.audit import AuditAction
from members.models import Contact

from ..models import CalendarToken, new_feed_token


def calendar_token_for(*, contact: Contact) -> CalendarToken:
    """The contact's secret feed address, made on the first call (a write: call it on POST)."""
    token, _created = CalendarToken.objects.get_or_create(contact=contact)
    return token


def renew_calendar_token(*, contact: Contact, by=None) -> CalendarToken:
    """Replace the secret: the old feed address stops working at once."""
    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(contact=contact)
        if not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
            audit.record(action=AuditAction.CALENDAR_RENEWED, obj=token, by=by)
        return token
