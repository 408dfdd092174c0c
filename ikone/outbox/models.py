"""The transactional outbox: every e-mail the portal sends is first a row here."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, *, now=None):
        """Pending rows whose ``not_before`` has passed, oldest first."""
        return self.filter(
            status=OutboundEmail.Status.PENDING, not_before__lte=now or timezone.now()
        ).order_by("not_before", "id")

    def for_reference(self, reference: str):
        return self.filter(reference=reference)


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", pgettext_lazy("status", "sent")
        FAILED = "failed", _("failed")

    class Category(models.TextChoices):
        ESSENTIAL = "essential", _("essential")
        NOTIFICATION = "notification", _("notification")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    to = models.EmailField(_("recipient"), max_length=254)
    from_email = models.CharField(_("sender"), max_length=254)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_(
            "List of {filename, mimetype, text} or {filename, mimetype, storage_path} objects."
        ),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.ESSENTIAL
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("What the mail belongs to, e.g. 'circular:12'."),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "not_before"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
