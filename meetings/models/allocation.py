"""Workshop seats by ranked preference: the allocation, the wishes and their ranks."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .registration import Registration, Workshop


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
