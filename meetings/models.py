"""Meetings of the network: the six-weekly Stammtisch, conferences and their workshops."""

import secrets
import uuid
from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikone.storage import private_storage, random_name
from ikone.text import german_slugify
from members.models import Contact, Municipality, Topic


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


class MeetingSeries(models.Model):
    """A recurring meeting such as the digital Stammtisch, held every few weeks."""

    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. “Digitaler Stammtisch”."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STAMMTISCH)
    cadence_weeks = models.PositiveSmallIntegerField(
        _("cadence (weeks)"), default=6, help_text=_("Weeks between two meetings.")
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
    APPROVED = "approved", _("approved")
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
    who = models.CharField(_("who"), max_length=150, blank=True)
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


class WorkshopAllocation(models.Model):
    """How an event gives out its workshop seats: first come, or by ranked preference.

    In preference mode participants rank workshops until the deadline; a coordinator then
    runs the allocation (``meetings.allocation_services``) and confirms it once.
    """

    class Mode(models.TextChoices):
        FIRST_COME = "first_come", _("first come, first served")
        PREFERENCE = "preference", _("by preference")

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        related_name="workshop_allocation",
        verbose_name=_("meeting"),
    )
    mode = models.CharField(
        _("workshop registration"), max_length=10, choices=Mode.choices, default=Mode.PREFERENCE
    )
    preference_deadline = models.DateTimeField(
        _("preference deadline"),
        null=True,
        blank=True,
        help_text=_("Until then participants rank the workshops; then seats are allocated."),
    )
    seed = models.BigIntegerField(_("seed"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("confirmed by"),
    )

    class Meta:
        verbose_name = _("workshop allocation")
        verbose_name_plural = _("workshop allocations")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def by_preference(self) -> bool:
        return self.mode == self.Mode.PREFERENCE

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def holds_choices(self) -> bool:
        """Seats wait for the allocation: no first-come choice of workshops until then."""
        return self.by_preference and not self.is_confirmed

    def accepts_preferences(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.by_preference
            and not self.is_confirmed
            and not (self.preference_deadline and self.preference_deadline < now)
        )


class WorkshopWish(models.Model):
    """A participant's ranking of an event's workshops and how many they want."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="workshop_wish",
        verbose_name=_("registration"),
    )
    wanted = models.PositiveSmallIntegerField(_("workshops wanted"), default=2)
    #: written when the allocation is confirmed: the ranks got and why the others not
    outcome = models.JSONField(_("outcome of the allocation"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("workshop wish")
        verbose_name_plural = _("workshop wishes")

    def __str__(self) -> str:
        return str(self.registration)


class WorkshopPreference(models.Model):
    """One ranked workshop of a participant's wish (rank 1 = first choice)."""

    wish = models.ForeignKey(
        WorkshopWish, on_delete=models.CASCADE, related_name="ranking", verbose_name=_("wish")
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("workshop")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("ranked workshop")
        verbose_name_plural = _("ranked workshops")
        ordering = ["wish", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["wish", "workshop"], name="workshop_ranked_once"),
            models.UniqueConstraint(fields=["wish", "rank"], name="rank_given_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.workshop}"
