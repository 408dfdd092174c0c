"""The network: its municipalities, their contact persons, topics, visits and applications."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikone.storage import display_filename, private_storage, random_name

ags_validator = RegexValidator(
    r"^\d{8}$", _("The municipality key (AGS) consists of exactly 8 digits.")
)


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. Members are linked to a :class:`Contact`; coordinators are staff users."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Topic(models.Model):
    """A theme the network works on, e.g. smart city or digital participation platforms."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def members(self):
        """Municipalities that currently belong to the network."""
        return self.filter(status=Municipality.Status.MEMBER)


class Municipality(models.Model):
    class Kind(models.TextChoices):
        INDEPENDENT_CITY = "kreisfreie_stadt", _("independent city")
        LARGE_TOWN = "grosse_kreisangehoerige_stadt", _("large district town")
        TOWN = "stadt", _("town")
        COLLECTIVE = "verbandsgemeinde", _("collective municipality (Verbandsgemeinde)")
        MUNICIPALITY = "gemeinde", pgettext_lazy("kind of municipality", "municipality")
        DISTRICT = "landkreis", _("district (Landkreis)")

    class Status(models.TextChoices):
        MEMBER = "member", _("member")
        LEFT = "left", _("left the network")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    district = models.CharField(
        _("district"),
        max_length=120,
        blank=True,
        help_text=_("The Landkreis; empty for independent cities."),
    )
    ags = models.CharField(
        _("municipality key (AGS)"), max_length=8, unique=True, validators=[ags_validator]
    )
    head_of_administration = models.CharField(
        _("head of administration"), max_length=150, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("description"), blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MEMBER
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="municipalities", verbose_name=_("topics of interest")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:municipality", kwargs={"slug": self.slug})

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER


class ContactQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, municipality__status=Municipality.Status.MEMBER)


class Contact(models.Model):
    """A contact person of a member municipality; with a login once invited."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("municipality"),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("login"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(
        _("position"),
        max_length=150,
        blank=True,
        help_text=_("E.g. Digitalbeauftragte, head of IT."),
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="contacts", verbose_name=_("topics of interest")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("de", "Deutsch"), ("en", "English")], default="de"
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    only_essential_mail = models.BooleanField(
        _("only essential mail"),
        default=False,
        help_text=_("Invitations and circular letters still arrive; notifications are not sent."),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="contact_email_ci_unique")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.municipality})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_login(self) -> bool:
        return self.user_id is not None and self.user.has_usable_password()


class Visit(models.Model):
    """A visit of the coordination team to a municipality. Internal only."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("municipality"),
    )
    date = models.DateField(_("date"))
    visitors = models.CharField(_("visitors"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.date:%d.%m.%Y}"


def letter_upload_to(instance, filename):
    """A random name in the private storage: the letter is read only through the admin."""
    return random_name("applications", filename, extension=".pdf")


class MembershipApplication(models.Model):
    """A municipality's application to join, sent in through the public form."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    municipality_name = models.CharField(_("municipality"), max_length=150)
    kind = models.CharField(_("kind"), max_length=40, choices=Municipality.Kind.choices)
    district = models.CharField(_("district"), max_length=120, blank=True)
    ags = models.CharField(_("municipality key (AGS)"), max_length=8, validators=[ags_validator])
    head_of_administration = models.CharField(_("head of administration"), max_length=150)
    website = models.URLField(_("website"), blank=True)
    letter = models.FileField(
        _("signed application letter (PDF)"),
        upload_to=letter_upload_to,
        storage=private_storage,
        max_length=200,
    )
    contact_first_name = models.CharField(_("first name of the contact person"), max_length=100)
    contact_last_name = models.CharField(_("last name of the contact person"), max_length=100)
    contact_email = models.EmailField(_("e-mail of the contact person"))
    contact_phone = models.CharField(_("phone of the contact person"), max_length=40, blank=True)
    contact_position = models.CharField(
        _("position of the contact person"), max_length=150, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("decided by")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("created municipality"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ags"],
                condition=models.Q(status="pending"),
                name="one_pending_application_per_ags",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} ({self.get_status_display()})"


# --- Circular letters -----------------------------------------------------------------------


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
        SENT = "sent", _("sent")

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
        Topic, blank=True, related_name="circulars", verbose_name=_("topics")
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="handpicked_circulars",
        verbose_name=_("hand-picked contacts"),
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
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "contact"], name="one_receipt_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.circular} → {self.contact}"
