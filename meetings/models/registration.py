"""Workshops, registrations with their seats, invitations and calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Contact

from .meetings import Meeting


class Workshop(models.Model):
    """A workshop inside an event, held in one round (time slot) with limited seats."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("meeting")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hosts = models.CharField(_("hosted by"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=20)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["meeting", "round", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person's place at a meeting: a member contact or an outside guest."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name=_("contact person"),
    )
    guest_name = models.CharField(_("guest's name"), max_length=150, blank=True)
    guest_email = models.EmailField(_("guest's e-mail"), blank=True)
    guest_organisation = models.CharField(_("guest's organisation"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=models.Q(contact__isnull=False) & ~models.Q(status="cancelled"),
                name="one_active_registration_per_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | ~models.Q(guest_email=""),
                name="registration_contact_or_guest_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.meeting}"

    @property
    def name(self) -> str:
        return self.contact.full_name if self.contact_id else self.guest_name

    @property
    def email(self) -> str:
        return self.contact.email if self.contact_id else self.guest_email

    @property
    def organisation(self) -> str:
        return self.contact.municipality.name if self.contact_id else self.guest_organisation

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class WorkshopSeat(models.Model):
    """A participant's seat (or waiting-list place) in one workshop."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="seats",
        verbose_name=_("registration"),
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="seats", verbose_name=_("workshop")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("workshop seat")
        verbose_name_plural = _("workshop seats")
        ordering = ["workshop", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "workshop"],
                condition=~models.Q(status="cancelled"),
                name="one_active_seat_per_workshop",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} – {self.workshop}"


class Invitation(models.Model):
    """Who received a meeting's calendar invitation, so updates reach the same people."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("contact person")
    )
    email = models.EmailField(_("e-mail address"))
    sequence = models.PositiveIntegerField(_("last calendar sequence sent"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="one_invitation_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.meeting}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a member's personal calendar feed URL; replaced to revoke the old one."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("contact person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return str(self.contact)
