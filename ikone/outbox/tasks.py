"""Thin Celery tasks around the outbox services (their registered names never change)."""

from celery import shared_task

from . import delivery, scheduling


@shared_task(name="ikone.outbox.tasks.send_pending_emails", ignore_result=True)
def send_pending_emails() -> int:
    sent = delivery.send_pending()
    if not send_pending_emails.app.conf.task_always_eager:
        scheduling.schedule_next_run()
    return sent


@shared_task(name="ikone.outbox.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Beat: release claims of dead workers and publish the send task if mail is due."""
    return scheduling.sweep()
