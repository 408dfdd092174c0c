"""Series, meetings and their minutes' state."""

import uuid
from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Municipality


class Kind(models.TextChoices):
    STAMMTISCH = "stammtisch", _("digital Stammtisch")
    VIDEO_CONFERENCE = "video_conference", _("video conference")
    NETWORK_MEETING = "network_meeting", _("network meeting")
    CONFERENCE = "conference", _("conference (Fachtagung)")
    WORKSHOP_DAY = "workshop_day", _("workshop day")


class Format(models.TextChoices):
    ONLINE = "online", _("online")
    ON_SITE = "on_site", _("on site")
    HYBRID = "hybrid", _("hybrid")


MAX_CADENCE_WEEKS = 52  # a series meets at least once a year


class MeetingSeries(models.Model):
    """A recurring meeting such as the digital Stammtisch, held every few weeks."""

    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. “Digitaler Stammtisch”."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STAMMTISCH)
    cadence_weeks = models.PositiveSmallIntegerField(
        _("cadence (weeks)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_WEEKS)],
        help_text=_("Weeks between two meetings (1 to 52)."),
    )
    default_start_time = models.TimeField(_("usual start time"), default=time(10, 0))
    default_duration_minutes = models.PositiveSmallIntegerField(
        _("usual duration (minutes)"), default=120
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONLINE
    )
    online_link = models.URLField(_("usual online link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BlackoutPeriod(models.Model):
    """Days on which a series does not meet, e.g. the summer holidays."""

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        related_name="blackouts",
        verbose_name=_("series"),
    )
    name = models.CharField(_("reason"), max_length=120, help_text=_("E.g. summer holidays."))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="blackout_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d.%m.%Y}–{self.end:%d.%m.%Y})"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day must not be before the first day.")})


class MeetingQuerySet(models.QuerySet):
    def visible(self):
        """Meetings the public may see: announced, held or cancelled, and public."""
        return self.filter(is_public=True).exclude(status=Meeting.Status.DRAFT)

    def upcoming(self, *, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, *, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")


class MinutesStatus(models.TextChoices):
    """The minutes' lifecycle: written, sent round for corrections, approved, locked."""

    DRAFT = "draft", _("draft")
    CIRCULATED = "circulated", _("sent round for corrections")
    APPROVED = "approved", pgettext_lazy("minutes", "approved")
    LOCKED = "locked", _("locked")


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ANNOUNCED = "announced", _("announced")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    Kind = Kind
    MinutesStatus = MinutesStatus
    Format = Format

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    number = models.PositiveSmallIntegerField(
        _("number in the year"),
        null=True,
        blank=True,
        help_text=_("Counted within the series and year; set automatically."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STAMMTISCH)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Left empty for a series meeting: “3. Digitaler Stammtisch 2023”."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONLINE
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to registered members.")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown on the public pages and in the public calendar feed."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    workshop_limit = models.PositiveSmallIntegerField(_("workshops per participant"), default=2)
    invited_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="+",
        verbose_name=_("invitation list"),
        help_text=_("Municipalities whose contacts the invitation goes to by default."),
    )
    # Minutes (for members), public summary (for everybody).
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("Markdown. Visible to members only.")
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("Markdown. Visible to everybody once the minutes are approved."),
    )
    # The minutes' lifecycle (meetings/minutes.py holds the transitions).
    minutes_status = models.CharField(
        _("state of the minutes"),
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    minutes_deadline = models.DateTimeField(
        _("corrections until"),
        null=True,
        blank=True,
        help_text=_("Without objection by then, the minutes count as approved."),
    )
    minutes_circulated_at = models.DateTimeField(_("minutes sent round"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes approved by"),
        help_text=_("Empty: approved automatically when the deadline passed."),
    )
    minutes_locked_at = models.DateTimeField(_("minutes locked"), null=True, blank=True)
    # Calendar invitations: the UID never changes, the sequence grows with each update.
    ical_uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    ical_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        indexes = [models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.series_id and self.number:
            year = timezone.localtime(self.start).year
            return f"{self.number}. {self.series.name} {year}"
        if self.series_id:
            return self.series.name
        return self.get_kind_display()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def minutes_are_final(self) -> bool:
        """Approved or locked: members read them as agreed, the public summary is public."""
        return self.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.LOCKED)

    @property
    def minutes_are_visible_to_members(self) -> bool:
        """A draft is the coordination team's; from the round for corrections on, members'."""
        return self.minutes_status != MinutesStatus.DRAFT

    def corrections_are_open(self, *, now=None) -> bool:
        return self.minutes_status == MinutesStatus.CIRCULATED and not (
            self.minutes_deadline and self.minutes_deadline < (now or timezone.now())
        )
