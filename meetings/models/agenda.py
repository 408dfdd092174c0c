"""Agenda items (talks, with slides) and the action items a meeting agrees on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikone.storage import private_storage, random_name
from ikone.text import german_slugify
from members.models import Contact, Municipality, Topic

from .meetings import Meeting


def slides_upload_to(instance, filename):
    """A random name in the private storage: slides follow the meeting's visibility."""
    return random_name("slides", filename, extension=".pdf")


def slides_filename(item) -> str:
    """The download name of an agenda item's slides: ``folien-<title>.pdf``."""
    return f"folien-{german_slugify(item.title)[:80] or item.pk}.pdf"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=150, blank=True)
    speaker_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker's municipality"),
    )
    speaker_organisation = models.CharField(
        _("speaker's organisation"),
        max_length=150,
        blank=True,
        help_text=_("For outside speakers, e.g. a municipal IT company."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    slides = models.FileField(
        _("slides (PDF)"),
        upload_to=slides_upload_to,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    recording_url = models.URLField(_("recording"), blank=True)
    project = models.ForeignKey(
        "projects.ProjectProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("project"),
        help_text=_("The project profile the talk is about, if any."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def affiliation(self) -> str:
        if self.speaker_municipality_id:
            return self.speaker_municipality.name
        return self.speaker_organisation


class ActionItemQuerySet(models.QuerySet):
    def overdue(self, *, today=None):
        """Open items whose due date has passed."""
        return self.filter(status=ActionItem.Status.OPEN, due__lt=today or timezone.localdate())

    def owned_by(self, contact):
        """Items a contact person answers for: their own and their municipality's."""
        return self.filter(
            models.Q(owner=contact) | models.Q(owner_municipality_id=contact.municipality_id)
        )


class ActionItem(models.Model):
    """A task agreed in a meeting: what, who, until when."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    what = models.CharField(_("what"), max_length=255)
    who = models.CharField(pgettext_lazy("action item", "who"), max_length=150, blank=True)
    owner = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("contact person responsible"),
        help_text=_("Sees the task on their start page until it is done."),
    )
    owner_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("municipality responsible"),
        help_text=_("All its contact persons see the task until it is done."),
    )
    owner_team = models.BooleanField(
        _("coordination team responsible"),
        default=False,
        help_text=_("The network's coordination team takes care of it."),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_note = models.TextField(_("note on closing"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "due", "id"]

    def __str__(self) -> str:
        return self.what

    def clean(self):
        errors = {}
        owners = [
            self.owner_id is not None,
            self.owner_municipality_id is not None,
            self.owner_team,
        ]
        if sum(owners) > 1:
            errors["owner"] = _(
                "Please name one responsible: a contact person, a municipality or the "
                "coordination team."
            )
        if self.owner_id is not None and not self.owner.municipality.is_member:
            errors["owner"] = _("%(name)s is not a contact person of a member municipality.") % {
                "name": self.owner.full_name
            }
        if self.owner_municipality_id is not None and not self.owner_municipality.is_member:
            errors["owner_municipality"] = _("%(name)s is not a member municipality.") % {
                "name": self.owner_municipality.name
            }
        if (
            self.due
            and self.meeting_id
            and self.due < timezone.localtime(self.meeting.start).date()
        ):
            errors["due"] = _("The due date must not be before the meeting.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due is not None
            and self.due < timezone.localdate()
        )

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return self.owner.full_name
        if self.owner_municipality_id:
            return self.owner_municipality.name
        if self.owner_team:
            return str(_("IKONE DS coordination team"))
        return self.who
