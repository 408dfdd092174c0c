"""Action items after the meeting: owners close them, a reminder before the due date, and the
open ones come back on the following meetings as *Offene Punkte*."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikone import audit
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.outbox.models import OutboundEmail
from ikone.outbox.services import Message, queue_emails
from members.models import Contact

from .models import ActionItem, Meeting

REMINDER_DAYS_BEFORE = 3


class ActionItemError(DomainError):
    """A rule about action items forbids the change."""


def may_close(item: ActionItem, contact: Contact | None) -> bool:
    """The contact responsible, or any contact of the municipality responsible."""
    if contact is None:
        return False
    return item.owner_id == contact.pk or (
        item.owner_municipality_id is not None
        and item.owner_municipality_id == contact.municipality_id
    )


def close_action_item(
    *, item: ActionItem, status: str = ActionItem.Status.DONE, note: str = "", by
) -> ActionItem:
    """Mark an open item done (or dropped), with an optional note."""
    if status not in (ActionItem.Status.DONE, ActionItem.Status.DROPPED):
        raise ActionItemError(_("An action item is closed as done or dropped."))
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ActionItem.Status.OPEN:
            raise ActionItemError(_("This action item is already closed."))
        old = item.status
        item.status = status
        item.closed_note = (note or "").strip()
        item.closed_at = timezone.now()
        item.closed_by = by if getattr(by, "is_authenticated", False) else None
        item.save(update_fields=["status", "closed_note", "closed_at", "closed_by"])
        audit.record(
            action=AuditAction.ACTION_ITEM_CLOSED, obj=item, by=by, data={"status": [old, status]}
        )
        return item


def open_items_before(meeting: Meeting) -> QuerySet[ActionItem]:
    """*Offene Punkte*: open items of the meetings before this one (same series, if any)."""
    items = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, meeting__start__lt=meeting.start
    ).exclude(meeting__status=Meeting.Status.CANCELLED)
    if meeting.series_id:
        items = items.filter(meeting__series_id=meeting.series_id)
    return items.select_related("meeting__series", "owner", "owner_municipality").order_by(
        "due", "meeting__start", "pk"
    )


def _recipients(item: ActionItem) -> list[Contact]:
    if item.owner_id:
        return [item.owner] if item.owner.is_active else []
    if item.owner_municipality_id:
        return list(item.owner_municipality.contacts.filter(is_active=True).order_by("pk"))
    return []


def send_reminders(*, today: date | None = None) -> int:
    """Beat: one reminder per open item, a few days before it is due. Returns mails queued."""
    today = today or timezone.localdate()
    last_day = today + timedelta(days=REMINDER_DAYS_BEFORE)
    url = settings.SITE_URL + reverse("meetings:my_action_items")
    queued = 0
    with transaction.atomic():
        items = list(
            ActionItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=ActionItem.Status.OPEN,
                reminder_sent_at__isnull=True,
                due__gte=today,
                due__lte=last_day,
            )
            .select_related("meeting__series", "owner", "owner_municipality")
            .order_by("pk")
        )
        messages = []
        for item in items:
            for contact in _recipients(item):
                if not contact.email:
                    continue
                messages.append(
                    Message(
                        to=contact.email,
                        template="meetings/action_item_reminder",
                        context={
                            "name": contact.full_name,
                            "what": item.what,
                            "due": item.due,
                            "title": item.meeting.display_title,
                            "url": url,
                        },
                        language=contact.language,
                        category=OutboundEmail.Category.NOTIFICATION,
                        reference=f"meetings.action_item_reminder:{item.pk}",
                    )
                )
        queue_emails(messages)
        queued = len(messages)
        # Bookkeeping of the beat task ("reminded once"), never a coordinator's action: no
        # audit entry.
        ActionItem.objects.filter(pk__in=[item.pk for item in items]).update(
            reminder_sent_at=timezone.now()
        )
    return queued
