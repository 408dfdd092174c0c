"""Member surveys: questions (including a topic ranking), one response per municipality."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Contact, Municipality, Topic, User


class SurveyQuerySet(models.QuerySet):
    def opened(self):
        """Surveys whose invitations went out (the coordinator opened them)."""
        return self.filter(opened_at__isnull=False)

    def running(self, *, now=None):
        now = now or timezone.now()
        return self.opened().filter(opens_at__lte=now, closes_at__gt=now)

    def for_municipality(self, municipality):
        return self.filter(
            models.Q(audience=Survey.Audience.ALL) | models.Q(municipalities=municipality)
        ).distinct()

    def results_visible_to_members(self):
        return self.opened().exclude(results_visibility=Survey.Visibility.COORDINATORS)

    def results_public(self):
        return self.opened().filter(results_visibility=Survey.Visibility.PUBLIC)


class Survey(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", _("all member municipalities")
        CHOSEN = "chosen", _("chosen municipalities")

    class Respondent(models.TextChoices):
        MUNICIPALITY = "municipality", _("one response per municipality")
        CONTACT = "contact", _("one response per contact person")

    class Visibility(models.TextChoices):
        COORDINATORS = "coordinators", _("coordination team only")
        MEMBERS = "members", _("published for members")
        PUBLIC = "public", _("published for everybody")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="surveys",
        verbose_name=_("chosen municipalities"),
        help_text=_("Only used when the audience is 'chosen municipalities'."),
    )
    respondent = models.CharField(
        _("who answers"), max_length=15, choices=Respondent.choices, default=Respondent.MUNICIPALITY
    )
    anonymous = models.BooleanField(
        _("anonymous results"),
        default=False,
        help_text=_("Results never name the municipality or person behind an answer."),
    )
    results_visibility = models.CharField(
        _("results"),
        max_length=15,
        choices=Visibility.choices,
        default=Visibility.COORDINATORS,
        help_text=_("Members and the public only ever see aggregated results."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before closing)"),
        default=7,
        help_text=_("0: no reminder."),
    )
    opened_at = models.DateTimeField(_("invitations sent"), null=True, blank=True, editable=False)
    invited_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        editable=False,
        related_name="invited_to_surveys",
        verbose_name=_("municipalities invited"),
        help_text=_(
            "The audience as it was when the survey was opened: the base of its response rate."
        ),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:answer", kwargs={"pk": self.pk})

    def get_results_url(self) -> str:
        return reverse("surveys:results", kwargs={"pk": self.pk})

    @property
    def per_contact(self) -> bool:
        return self.respondent == self.Respondent.CONTACT

    def is_running(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.opened_at is not None and self.opens_at <= now < self.closes_at

    def audience_municipalities(self):
        if self.audience == self.Audience.ALL:
            return Municipality.objects.members()
        return self.municipalities.filter(status=Municipality.Status.MEMBER)

    def response_base(self):
        """The municipalities a response rate counts against.

        Once opened: those invited then, plus any that answered since (a municipality that
        joined while the survey ran). Today's members would make an old survey look worse
        answered than it was. Before opening, or for a survey opened without a record of its
        audience (made directly rather than through ``open_survey``): the audience as it stands.
        """
        if self.opened_at is None or not self.invited_municipalities.exists():
            return self.audience_municipalities()
        answered = Response.objects.filter(survey=self, status=Response.Status.SUBMITTED)
        return Municipality.objects.filter(
            models.Q(pk__in=self.invited_municipalities.values("pk"))
            | models.Q(pk__in=answered.values("municipality"))
        )

    def is_addressed_to(self, municipality) -> bool:
        if municipality is None or not municipality.is_member:
            return False
        if self.audience == self.Audience.ALL:
            return True
        return self.municipalities.filter(pk=municipality.pk).exists()


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating scale")
        NUMBER = "number", _("number")
        TEXT = "text", _("free text")
        RANKING = "ranking", _("ranking")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.IntegerField(
        _("minimum"), null=True, blank=True, help_text=_("Rating scale and number.")
    )
    max_value = models.IntegerField(
        _("maximum"), null=True, blank=True, help_text=_("Rating scale and number.")
    )
    min_label = models.CharField(
        _("label of the minimum"), max_length=60, blank=True, help_text=_("Rating scale.")
    )
    max_label = models.CharField(
        _("label of the maximum"), max_length=60, blank=True, help_text=_("Rating scale.")
    )
    topics_as_options = models.BooleanField(
        _("network topics as options"),
        default=True,
        help_text=_(
            "Ranking: when the question has no options yet, the network's active topics are "
            "copied into its options, so results stay stable when topics change later."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKING)

    @property
    def scale(self) -> list[int]:
        low = 1 if self.min_value is None else self.min_value
        high = 5 if self.max_value is None else self.max_value
        return list(range(low, high + 1)) if high >= low else []

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("option"), max_length=200)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """The answers of one municipality (or one contact person, by the survey's setting)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("municipality"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("respondent"),
        help_text=_("Only in surveys answered per contact person."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    edited_by = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "municipality"],
                condition=models.Q(contact__isnull=True),
                name="one_response_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["survey", "contact"],
                condition=models.Q(contact__isnull=False),
                name="one_response_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status_idx")]

    def __str__(self) -> str:
        who = self.contact.full_name if self.contact_id else self.municipality.name
        return f"{self.survey} – {who}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One value: a chosen option (with its rank in a ranking), a number or a text."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("option"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    number = models.IntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "option"], name="answer_question_option_idx")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.number or self.text[:40]}"


class Reminder(models.Model):
    """A reminder sent to one municipality for one survey; makes the beat task idempotent."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("survey")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "municipality"], name="one_reminder_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.municipality}"
