"""What OParl once published and no longer does: deleted or depublished objects.

OParl 1.1 (chapter 2.8) does not let an object simply vanish: a client that asks with
``modified_since`` must learn that it was deleted. A tombstone keeps what the spec keeps of
a deleted object (its id by type and primary key, ``created``), the moment of deletion as
``modified``, and the few properties the schema still requires (an agenda item's ``order``,
a file's ``accessUrl``). Written by ``meetings.oparl.tombstones`` whenever a published
object is deleted or stops being public; removed again when it comes back.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OParlTombstone(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        AGENDA_ITEM = "agenda_item", _("agenda item")
        SUMMARY = "summary", _("public summary")
        SLIDES = "slides", _("slides")
        LOCATION = "location", _("location")
        SERIES = "series", _("meeting series")
        MUNICIPALITY = "municipality", _("municipality")
        PERSON = "person", _("person")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_pk = models.PositiveBigIntegerField(_("object"))
    created = models.DateTimeField(_("created"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)
    extra = models.JSONField(_("required properties"), default=dict, blank=True)

    class Meta:
        verbose_name = _("deleted OParl object")
        verbose_name_plural = _("deleted OParl objects")
        ordering = ["deleted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_pk"], name="oparl_tombstone_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_pk}"
