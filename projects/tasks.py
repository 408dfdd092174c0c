from celery import shared_task

from .services import profiles as profile_services


@shared_task(name="projects.tasks.send_update_reminders", ignore_result=True)
def send_update_reminders() -> int:
    """Beat: remind the owners of profiles not updated for a year."""
    return profile_services.send_update_reminders()


@shared_task(name="projects.tasks.rebuild_expertise_index", ignore_result=True)
def rebuild_expertise_index() -> int:
    """Beat, nightly: recreate the evidence of *Wen fragen?* — catches what bypassed the
    signals (``QuerySet.update``, raw SQL, a restored backup)."""
    from . import expertise_index

    return expertise_index.rebuild()
