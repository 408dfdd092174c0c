from celery import shared_task

from . import action_items, minutes
from .services import reminders


@shared_task(name="meetings.tasks.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders() -> int:
    """Beat: remind those registered for tomorrow's meetings (idempotent)."""
    return reminders.send_reminders()


@shared_task(name="meetings.tasks.approve_due_minutes", ignore_result=True)
def approve_due_minutes() -> int:
    """Beat: minutes whose deadline for corrections passed without objection are approved."""
    return minutes.approve_due_minutes()


@shared_task(name="meetings.tasks.remind_action_items", ignore_result=True)
def remind_action_items() -> int:
    """Beat: one reminder per open action item a few days before it is due (idempotent)."""
    return action_items.send_reminders()
