"""The reminder the day before a meeting."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ikone.outbox.services import Message, queue_emails

from ..models import Meeting, Registration
from .common import language_of, mail_context, reachable


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind those registered for tomorrow's meetings; each registration at most once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(tomorrow, time.min), tz)
    last = first + timedelta(days=1)
    sent = 0
    with transaction.atomic():
        registrations = list(
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=Registration.Status.REGISTERED,
                reminder_sent_at__isnull=True,
                meeting__status=Meeting.Status.ANNOUNCED,
                meeting__start__gte=first,
                meeting__start__lt=last,
            )
            .select_related("meeting__series", "contact__municipality")
            .order_by("meeting_id", "id")
        )
        messages = []
        for registration in registrations:
            meeting = registration.meeting
            if not reachable(registration.email):
                continue
            messages.append(
                Message(
                    to=registration.email,
                    template="meetings/reminder",
                    context=mail_context(
                        meeting, name=registration.name, online_link=meeting.online_link
                    ),
                    language=language_of(registration.contact),
                    reference=f"meetings.reminder:{registration.pk}",
                )
            )
        queue_emails(messages)
        # Bookkeeping of the beat task ("reminded once"), never a coordinator's action: no
        # audit entry.
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            reminder_sent_at=now
        )
        sent = len(messages)
    return sent
