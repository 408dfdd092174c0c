"""The minutes' versions, corrections and addenda."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Contact

from .meetings import Meeting, MinutesStatus


class MinutesVersion(models.Model):
    """Every saved state of a meeting's minutes and public summary, to compare them."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="minutes_versions",
        verbose_name=_("meeting"),
    )
    number = models.PositiveIntegerField(_("version"))
    minutes = models.TextField(_("minutes"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    minutes_status = models.CharField(
        _("state of the minutes"), max_length=10, choices=MinutesStatus.choices
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        verbose_name = _("version of the minutes")
        verbose_name_plural = _("versions of the minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_minutes_version_number_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return _("Version %(number)d") % {"number": self.number}


class MinutesCorrection(models.Model):
    """A participant's correction of the minutes sent round, for the coordination team."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("taken over")
        DECLINED = "declined", _("not taken over")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="minutes_corrections",
        verbose_name=_("meeting"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="minutes_corrections",
        verbose_name=_("contact person"),
    )
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reply = models.TextField(_("reply of the coordination team"), blank=True)
    resolved_at = models.DateTimeField(_("dealt with"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dealt with by"),
    )

    class Meta:
        verbose_name = _("correction of the minutes")
        verbose_name_plural = _("corrections of the minutes")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contact} – {self.meeting}"


class MinutesAddendum(models.Model):
    """A dated correction of minutes that can no longer be edited."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="minutes_addenda",
        verbose_name=_("meeting"),
    )
    text = models.TextField(_("addendum"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("addendum to the minutes")
        verbose_name_plural = _("addenda to the minutes")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return _("Addendum of %(date)s") % {
            "date": f"{timezone.localtime(self.created_at):%d.%m.%Y}"
        }
