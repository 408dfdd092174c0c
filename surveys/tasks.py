"""Thin Celery tasks around the survey services."""

from celery import shared_task

from . import services


@shared_task(name="surveys.tasks.send_survey_reminders", ignore_result=True)
def send_survey_reminders() -> int:
    """Beat: remind municipalities without a submitted response before a survey closes."""
    return services.send_due_reminders()
