"""Thin Celery tasks of circular letters."""

from celery import shared_task

from .services import sending as sending_services


# The name from when circulars lived in members/: queued messages and the beat entry use it.
@shared_task(name="members.tasks.send_due_circulars", ignore_result=True)
def send_due_circulars() -> int:
    """Beat: send scheduled circular letters whose time has come."""
    return sending_services.send_due_circulars()
