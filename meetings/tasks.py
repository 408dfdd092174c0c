from celery import shared_task

from .services import reminders


@shared_task(name="meetings.tasks.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders() -> int:
    """Beat: remind those registered for tomorrow's meetings (idempotent)."""
    return reminders.send_reminders()
