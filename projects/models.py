"""The project catalogue: profiles (Projektsteckbriefe) of the member municipalities' projects."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikone import moderation
from ikone.moderation import ModerationEvent
from ikone.storage import display_filename, private_storage, random_name
from members.models import Contact, Municipality, Topic


class Stage(models.TextChoices):
    IDEA = "idea", _("idea")
    PLANNING = "planning", _("planning")
    IMPLEMENTATION = "implementation", _("implementation")
    OPERATION = "operation", _("in operation")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")


class FieldOfAction(models.TextChoices):
    """The fields of action of the federal Smart-City-Wissensspeicher, shortened."""

    ADMINISTRATION = "administration", _("administration and services")
    PARTICIPATION = "participation", _("participation and civil society")
    MOBILITY = "mobility", _("mobility")
    ENVIRONMENT = "environment", _("environment, energy and climate")
    SAFETY = "safety", _("safety and crisis management")
    INFRASTRUCTURE = "infrastructure", _("infrastructure and data")
    EDUCATION = "education", _("education and culture")
    ECONOMY = "economy", _("economy and tourism")
    HEALTH = "health", _("health and social affairs")
    STRATEGY = "strategy", _("strategy and organisation")


class BudgetBand(models.TextChoices):
    UNKNOWN = "", _("not stated")
    UNDER_10K = "lt10k", _("under 10,000 €")
    UNDER_50K = "10k-50k", _("10,000 – 50,000 €")
    UNDER_250K = "50k-250k", _("50,000 – 250,000 €")
    UNDER_1M = "250k-1m", _("250,000 € – 1 million €")
    OVER_1M = "gt1m", _("more than 1 million €")


class Funding(models.TextChoices):
    OWN = "own", _("own budget")
    STATE = "state", _("state programme (Rhineland-Palatinate)")
    FEDERAL = "federal", _("federal programme")
    EU = "eu", _("EU programme")
    FOUNDATION = "foundation", _("foundation or sponsor")
    OTHER = "other", _("other")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("members of the network only")
    PUBLIC = "public", _("public (after review by the coordination team)")


def words_of(*texts: str) -> str:
    """What ``ProjectProfile.words`` holds: the texts in lower case, blanks collapsed."""
    return " ".join(" ".join(text or "" for text in texts).lower().split())


def public_condition(prefix: str = "") -> models.Q:
    """Profiles the public may see: reviewed and published as public. ``prefix`` reaches the
    profile through a relation (``"project__"``: a join condition, not a subquery)."""
    return models.Q(
        **{
            f"{prefix}visibility": Visibility.PUBLIC,
            f"{prefix}status": moderation.PUBLISHED,
            f"{prefix}published_at__isnull": False,
        }
    )


def members_condition(prefix: str = "") -> models.Q:
    """Profiles every member sees: all but the withdrawn ones (``prefix`` as above)."""
    return ~models.Q(**{f"{prefix}status": moderation.ARCHIVED})


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_condition())

    def for_members(self):
        return self.filter(members_condition())

    def for_listing(self):
        return (
            self.select_related("municipality")
            .prefetch_related("topics")
            .defer("description", "description_html", "lessons_learned", "obstacles", "words")
            .order_by("-updated_at", "-pk")
        )


class ProjectProfile(models.Model):
    """A project of one member municipality, with what others can learn from it."""

    class Status(models.TextChoices):
        """Moderation of the public version: the states of :mod:`ikone.moderation`."""

        DRAFT = moderation.DRAFT, _("not submitted")
        SUBMITTED = moderation.SUBMITTED, _("submitted for review")
        CHANGES_REQUESTED = moderation.CHANGES_REQUESTED, _("changes requested")
        PUBLISHED = moderation.PUBLISHED, _("published")
        ARCHIVED = moderation.ARCHIVED, _("withdrawn")

    Stage = Stage
    FieldOfAction = FieldOfAction
    BudgetBand = BudgetBand
    Funding = Funding
    Visibility = Visibility

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences shown in lists.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(_("description as HTML"), blank=True, editable=False)
    topics = models.ManyToManyField(Topic, related_name="projects", verbose_name=_("topics"))
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, db_index=True)
    stage_reason = models.TextField(
        _("why it was stopped"),
        blank=True,
        help_text=_("For stopped projects: why the municipality does not pursue it."),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    budget_band = models.CharField(
        _("budget"), max_length=10, choices=BudgetBand.choices, blank=True, default=""
    )
    funding = models.JSONField(_("funding"), default=list, blank=True)
    partner_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="partner_projects",
        verbose_name=_("partner municipalities"),
    )
    outside_partners = models.TextField(
        _("outside partners"),
        blank=True,
        help_text=_("One per line, e.g. KL.Digital GmbH or Fraunhofer IESE."),
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="projects",
        verbose_name=_("contact persons"),
        help_text=_("People of the municipality who agreed to be asked about the project."),
    )
    links = models.TextField(
        _("links"), blank=True, help_text=_("One per line: a title, a vertical bar, the address.")
    )
    cover_image = models.ImageField(_("cover image"), upload_to="projects/", blank=True)
    cover_alt = models.CharField(_("alternative text of the image"), max_length=250, blank=True)
    lessons_learned = models.TextField(
        _("lessons learned"), blank=True, help_text=_("What others should know before they start.")
    )
    obstacles = models.TextField(
        _("obstacles"),
        blank=True,
        help_text=_("Data protection questions, workflows, priorities, money …"),
    )
    # publiccode.yml: software projects only
    is_software = models.BooleanField(_("software project"), default=False)
    repository_url = models.URLField(_("source code repository"), blank=True)
    software_license = models.CharField(_("licence (SPDX)"), max_length=100, blank=True)
    software_version = models.CharField(_("software version"), max_length=50, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, db_index=True)
    last_reminded_at = models.DateTimeField(_("last reminded to update"), null=True, blank=True)
    # title, summary and description in lower case, kept by save(): *Wen fragen?* looks for
    # a question's words here with a plain LIKE instead of case-folding every text per query
    words = models.TextField(_("words"), blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project profile")
        verbose_name_plural = _("project profiles")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            # the lists: newest update first; the public one (ProjectQuerySet.public) has an
            # index of its own rows only, so that its count reads the index and not every
            # profile's row with its long texts
            models.Index(fields=["-updated_at", "-id"], name="project_updated_idx"),
            models.Index(
                fields=["-updated_at", "-id"],
                name="project_public_listed_idx",
                condition=public_condition(),
            ),
            # a municipality's page
            models.Index(fields=["municipality", "-updated_at"], name="project_municipality_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.words = words_of(self.title, self.summary, self.description)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "description"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "words"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return (
            self.visibility == Visibility.PUBLIC
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
        )

    @property
    def description_adds(self) -> bool:
        """Whether the description says more than the summary shown above it (a description
        that only repeats the summary is not shown, nor searched, twice)."""
        return bool(self.description.strip()) and self.description.strip() != self.summary.strip()

    @property
    def outside_partner_list(self) -> list[str]:
        return [line.strip() for line in self.outside_partners.splitlines() if line.strip()]

    @property
    def link_list(self) -> list[tuple[str, str]]:
        """(title, url) of every stored link line."""
        links = []
        for line in self.links.splitlines():
            title, _bar, url = line.rpartition("|")
            url = url.strip()
            if url:
                links.append((title.strip() or url, url))
        return links

    def funding_labels(self) -> list[str]:
        labels = dict(Funding.choices)
        return [str(labels.get(code, code)) for code in self.funding]


def document_upload_to(instance, filename):
    instance.original_name = display_filename(filename, default="steckbrief.pdf")
    return random_name("project-documents", filename, extension=".pdf")


class ProjectDocument(models.Model):
    """A PDF of a profile (concept, evaluation, slides), kept in the private storage."""

    project = models.ForeignKey(
        ProjectProfile,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(
        _("PDF file"), upload_to=document_upload_to, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.original_name or self.file.name.rsplit("/", 1)[-1]


class ProjectEvent(ModerationEvent):
    """One step in a profile's life: who did what, when, with which comment."""

    subject_field = "project"

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("changed")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("withdrawn")
        REMINDED = "reminded", _("reminded to update")

    project = models.ForeignKey(
        ProjectProfile, on_delete=models.CASCADE, related_name="events", verbose_name=_("project")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)

    class Meta(ModerationEvent.Meta):
        verbose_name = _("project history entry")
        verbose_name_plural = _("project history")


class Reuse(models.Model):
    """A municipality took up (or considered) another municipality's project: Nachnutzung.

    Recorded by the adopting municipality, confirmed by the source municipality; only
    confirmed reuse counts on the public pages.
    """

    class Stage(models.TextChoices):
        INTERESTED = "interested", _("interested")
        IN_CONTACT = "in_contact", _("in contact")
        ADOPTING = "adopting", _("adopting")
        ADOPTED = "adopted", _("adopted")
        DROPPED = "dropped", _("dropped")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("not confirmed")

    project = models.ForeignKey(
        ProjectProfile, on_delete=models.CASCADE, related_name="reuses", verbose_name=_("project")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="reuses",
        verbose_name=_("adopting municipality"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("since"), default=timezone.localdate)
    effort = models.CharField(
        _("effort"), max_length=200, blank=True, help_text=_("E.g. 5 person-days, 2,000 €.")
    )
    lessons = models.TextField(_("our lessons"), blank=True)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("contact person"),
    )
    confirmation = models.CharField(
        _("confirmation"),
        max_length=10,
        choices=Confirmation.choices,
        default=Confirmation.PENDING,
        db_index=True,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reuse")
        verbose_name_plural = _("reuses")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "municipality"], name="one_reuse_per_project_and_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ← {self.project}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmation == self.Confirmation.CONFIRMED


class AskConsent(models.Model):
    """A contact person agreed to be suggested under *Wen fragen?* on these topics."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="ask_consent",
        verbose_name=_("contact person"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="ask_consents", verbose_name=_("topics")
    )
    monthly_cap = models.PositiveSmallIntegerField(
        _("at most suggested per month"),
        null=True,
        blank=True,
        help_text=_("To how many members a month you are suggested; empty: no limit."),
    )
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consent to be asked")
        verbose_name_plural = _("consents to be asked")

    def __str__(self) -> str:
        return str(self.contact)


class Suggestion(models.Model):
    """A contact person was suggested to a member: counted for the contact's monthly cap."""

    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="ask_suggestions",
        verbose_name=_("contact person"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.contact} → {self.asked_by}"


class ExpertiseItem(models.Model):
    """One piece of evidence for *Wen fragen?*: a contact person's role in a profile, a talk,
    a post, a confirmed reuse … kept by :mod:`projects.expertise_index`.

    Derived data: the sources of the apps (re)build the rows whenever their records change,
    ``manage.py rebuild_expertise_index`` (and the nightly task) recreates them all. The
    weight is the item's before recency; whether the person agreed to be asked is decided
    when asking, never stored here.
    """

    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact person")
    )
    # the profile the evidence is about (roles and reuse): a question in own words weighs
    # the profiles that contain its words more than those that only share a topic
    project = models.ForeignKey(
        ProjectProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project profile"),
    )
    topics = models.ManyToManyField(Topic, related_name="+", verbose_name=_("topics"))
    weight = models.FloatField(_("weight"))
    when = models.DateField(_("date"), null=True, blank=True)
    # weight × 2^(days from 2000-01-01 to the date / half-life): times 0.5^(days to today /
    # half-life), the same for every row, it is the weight with recency — summed and
    # ordered without a power per row (expertise_index.strength)
    strength = models.FloatField(_("strength"), default=0.0)
    # from when it counts (a talk once its meeting is over, a post once it is published)
    counts_from = models.DateTimeField(_("counts from"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence for whom to ask")
        verbose_name_plural = _("evidence for whom to ask")
        indexes = [
            models.Index(fields=["source", "object_id"], name="expertise_source_idx"),
            models.Index(fields=["contact", "-strength"], name="expertise_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.contact_id}"
