"""Reading django-auditlog's field history in tests."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def field_changes(obj=None, *, model=None):
    """auditlog's entries, of ``obj`` (or of every ``model`` row) when given, oldest first."""
    entries = LogEntry.objects.order_by("timestamp", "pk")
    if obj is not None:
        model = type(obj)
        entries = entries.filter(object_pk=str(obj.pk))
    if model is not None:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
    return entries
