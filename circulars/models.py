"""Circular letters (Rundschreiben) of the coordination team, their recipients and answers.

The tables were created by the members app (migration ``members.0003_circulars``) and keep
their names, so moving the models here moved no data.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikone.storage import display_filename, private_storage, random_name
from members.models import Contact, Topic, User


def circular_upload_to(instance, filename):
    """A random name in the private storage; the uploaded name is kept in ``original_name``.

    Set here too (not only in ``save``) for ``attachment.file.save(name, content)``.
    """
    instance.original_name = display_filename(filename, default="anhang.pdf")
    return random_name("circulars", filename, extension=".pdf")


class Circular(models.Model):
    """A circular letter (Rundschreiben) of the coordination team, optionally with a question."""

    class Audience(models.TextChoices):
        ALL = "all", _("all contacts of member municipalities")
        PRIMARY = "primary", _("primary contacts only")
        KIND = "kind", _("by kind of municipality")
        DISTRICT = "district", _("by district")
        TOPIC = "topic", _("by topic of interest")
        HANDPICKED = "handpicked", _("hand-picked contacts")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", pgettext_lazy("status", "sent")

    class Choices(models.TextChoices):
        NONE = "", _("no question")
        YES_NO_MAYBE = "yes_no_maybe", _("yes / no / maybe")
        CUSTOM = "custom", _("custom answers")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, *italic*, lists with -, links [text](url).")
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    kinds = models.JSONField(_("kinds of municipality"), default=list, blank=True)
    districts = models.JSONField(_("districts"), default=list, blank=True)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="circulars",
        verbose_name=_("topics"),
        db_table="members_circular_topics",
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="handpicked_circulars",
        verbose_name=_("hand-picked contacts"),
        db_table="members_circular_contacts",
    )
    question = models.CharField(_("reply question"), max_length=300, blank=True)
    answer_choices = models.CharField(
        _("answers"), max_length=20, choices=Choices.choices, default=Choices.NONE, blank=True
    )
    custom_answers = models.TextField(
        _("custom answers"), blank=True, help_text=_("One answer per line.")
    )
    allow_comment = models.BooleanField(_("allow a comment"), default=True)
    closes_at = models.DateTimeField(
        _("answers close"),
        null=True,
        blank=True,
        help_text=_("Until then recipients can give or change their answer."),
    )
    scheduled_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("Empty: send at once.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "members_circular"
        verbose_name = _("circular letter")
        verbose_name_plural = _("circular letters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def reference(self) -> str:
        return f"circular:{self.pk}"

    @property
    def has_question(self) -> bool:
        return bool(self.question and self.answer_choices)

    def answer_options(self) -> list[tuple[str, str]]:
        """(value, label) of the fixed answers."""
        if self.answer_choices == self.Choices.YES_NO_MAYBE:
            return [("yes", _("Yes")), ("no", _("No")), ("maybe", _("Maybe"))]
        if self.answer_choices == self.Choices.CUSTOM:
            lines = [line.strip() for line in self.custom_answers.splitlines() if line.strip()]
            return [(f"a{index}", line[:100]) for index, line in enumerate(lines, start=1)]
        return []

    def answer_label(self, value: str) -> str:
        return dict(self.answer_options()).get(value, value)

    @property
    def is_open_for_answers(self) -> bool:
        return self.has_question and (self.closes_at is None or timezone.now() < self.closes_at)


class CircularAttachment(models.Model):
    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("circular")
    )
    file = models.FileField(
        _("PDF file"), upload_to=circular_upload_to, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=150, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=150, blank=True)

    class Meta:
        db_table = "members_circularattachment"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.filename

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:  # a new upload: remember its name
            self.original_name = display_filename(self.file.name, default="anhang.pdf")
        super().save(*args, **kwargs)

    @property
    def filename(self) -> str:
        """The name the file was uploaded with: for the mail attachment and the download."""
        return self.original_name or self.file.name.rsplit("/", 1)[-1]


class CircularRecipient(models.Model):
    """One contact a circular was sent to: its mail and the contact's answer."""

    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("circular")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="circular_receipts",
        verbose_name=_("contact person"),
    )
    email = models.ForeignKey(
        "outbox.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    answer = models.CharField(_("answer"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        db_table = "members_circularrecipient"
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "contact"], name="one_receipt_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.circular} → {self.contact}"
