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

from ikone.storage import private_storage, random_name

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
        pgettext_lazy("contact person", "position"),
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
    public_speaker = models.BooleanField(
        _("may be named publicly as speaker"),
        default=False,
        help_text=_(
            "Agreed that the open data interface (OParl) names them as a person where they "
            "spoke at a public meeting. Off unless they agree; they can withdraw at any time."
        ),
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
        PENDING = "pending", pgettext_lazy("membership application", "pending")
        APPROVED = "approved", pgettext_lazy("membership application", "approved")
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
