from celery import shared_task

from . import services


@shared_task(name="news.tasks.publish_due_posts", ignore_result=True)
def publish_due_posts() -> int:
    """Beat: publish scheduled posts whose time has come."""
    return services.publish_due_posts()
