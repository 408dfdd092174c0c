from celery import shared_task

from .services import profiles as profile_services


@shared_task(name="projects.tasks.send_update_reminders", ignore_result=True)
def send_update_reminders() -> int:
    """Beat: remind the owners of profiles not updated for a year."""
    return profile_services.send_update_reminders()
