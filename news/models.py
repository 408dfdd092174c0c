"""Posts of the member municipalities and the coordination team, with their history."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikone import moderation
from ikone.moderation import ModerationEvent
from members.models import Municipality, Topic


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts the public may see."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Only what a list or card shows, with the municipality joined and topics prefetched."""
        return (
            self.select_related("municipality")
            .prefetch_related("topics")
            .defer("body", "body_html")
            .order_by("-published_at", "-pk")
        )


class Post(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        BLOG = "blog", _("blog entry")
        MEETING_REPORT = "meeting_report", _("meeting report")

    class Status(models.TextChoices):
        """The states of :mod:`ikone.moderation`."""

        DRAFT = moderation.DRAFT, _("draft")
        SUBMITTED = moderation.SUBMITTED, _("submitted for review")
        CHANGES_REQUESTED = moderation.CHANGES_REQUESTED, _("changes requested")
        PUBLISHED = moderation.PUBLISHED, _("published")
        ARCHIVED = moderation.ARCHIVED, _("archived")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    teaser = models.TextField(
        _("teaser"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown formatting."))
    body_html = models.TextField(_("text as HTML"), blank=True, editable=False)
    cover_image = models.ImageField(_("cover image"), upload_to="news/", blank=True)
    cover_renditions = models.JSONField(_("resized cover images"), default=dict, blank=True)
    cover_alt = models.CharField(
        _("alternative text of the image"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="posts", verbose_name=_("topics")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("municipality"),
        help_text=_("Empty for posts of the coordination team."),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("meeting"),
        help_text=_("The meeting this post reports on, if any."),
    )
    project = models.ForeignKey(
        "projects.ProjectProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("project"),
        help_text=_("The project profile this post is about, if any."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Scheduled publication.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_status_pub_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_editable_by_member(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def srcset(self) -> str:
        """``srcset`` value built from the stored renditions (width → storage name)."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(name)} {width}w"
            for width, name in sorted(self.cover_renditions.items(), key=lambda i: int(i[0]))
        )


class PostEvent(ModerationEvent):
    """One step in a post's life: who did what, when, with which comment."""

    subject_field = "post"

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("changed")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="events", verbose_name=_("post")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(  # the users' reverse accessor stays (``postevent_set``)
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("by"),
    )

    class Meta(ModerationEvent.Meta):
        verbose_name = _("post history entry")
        verbose_name_plural = _("post history")
