"""Thin Celery tasks of the member network."""

from celery import shared_task

from . import services


@shared_task(name="members.tasks.send_due_circulars", ignore_result=True)
def send_due_circulars() -> int:
    """Beat: send scheduled circular letters whose time has come."""
    return services.send_due_circulars()
