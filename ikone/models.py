"""Site-wide records: the audit trail of coordinator actions, the search index."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
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


class SearchDocument(models.Model):
    """One searchable page (a project, a post, a meeting …) as plain text, kept by ikone.search.

    Derived data: ``manage.py rebuild_search_index`` recreates every row from the apps' records.
    Who may find a document is the app's decision (its source), stored as the audience.
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=255)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    # Who may find it (ikone.search.PUBLIC, MEMBERS, STAFF; PERSONAL: the source decides per
    # user at query time) and from when (a scheduled post), as its app decided when indexing.
    audience = models.CharField(_("audience"), max_length=10, default="public")
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    # PostgreSQL only (to_tsvector('german', …)); NULL on SQLite. ``vector`` (title, lead and
    # text; GIN index in the migration) finds the documents, the small ``head`` (title and
    # lead) ranks them: ranking never has to read the long texts' vectors.
    vector = SearchVectorField(null=True, editable=False)
    head = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [models.Index(fields=["-date"], name="search_document_date_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
