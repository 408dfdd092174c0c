"""Site-wide records: the audit trail of coordinator actions."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, action_choices


class AuditEntry(models.Model):
    """A coordinator's domain action (``ikone.audit.record``); field history is auditlog's
    ``LogEntry`` (rows of type create/update/delete/bulk_update are the older field history)."""

    Action = AuditAction

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_repr = models.CharField(_("who (as recorded)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=action_choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    message = models.CharField(_("what"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"
