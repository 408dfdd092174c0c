"""Every write on posts that has rules: saving, the moderation workflow, scheduled publishing.

Each function runs in one transaction, records a :class:`PostEvent` (who, what, when,
comment), queues mail through the outbox and bumps the page-cache version when what the
public sees changes. Moderation steps taken by a coordinator (published, scheduled, sent
back with a comment, withdrawn) also go to the audit trail as typed entries (``ikone.audit``).

Two histories on purpose: ``PostEvent`` is the post's own story that its author reads (the
preview lists it, the edit form shows the last "changes requested" comment, the privacy export
hands it out) and it holds the members' steps too (created, submitted); the audit trail holds
only coordinators' actions and is for the coordination team's accountability.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikone import audit, moderation, pagecache
from ikone.audit import AuditAction
from ikone.errors import DomainError
from ikone.markup import render_markdown
from ikone.outbox.services import Message, queue_emails
from ikone.text import unique_slug
from members.permissions import contact_of, is_coordinator
from projects import permissions as project_permissions

from . import permissions
from .images import delete_renditions, process_cover
from .models import Post, PostEvent


class PostError(DomainError):
    """A rule of the news workflow was broken."""


_PUBLISHED = gettext_lazy("This post is already published.")
_ARCHIVED = gettext_lazy("An archived post cannot be published again.")
WORKFLOW = moderation.Workflow(
    error=PostError,
    event=PostEvent,
    refusals={
        moderation.SUBMIT: gettext_lazy("Only drafts can be submitted."),
        (moderation.PUBLISH, moderation.PUBLISHED): _PUBLISHED,
        (moderation.PUBLISH, moderation.ARCHIVED): _ARCHIVED,
        (moderation.SCHEDULE, moderation.PUBLISHED): _PUBLISHED,
        (moderation.SCHEDULE, moderation.ARCHIVED): _ARCHIVED,
        moderation.REQUEST_CHANGES: gettext_lazy("Only submitted posts can be sent back."),
        moderation.WITHDRAW: gettext_lazy("This post is already archived."),
    },
)


def _author_message(post: Post, template: str, **context) -> list[Message]:
    author = post.author
    if author is None or not author.email or not author.is_active:
        return []
    contact = getattr(author, "contact", None)
    return [
        Message(
            to=author.email,
            template=f"news/{template}",
            context={"post": post, "recipient": author, **context},
            language=getattr(contact, "language", None),
            reference=f"news.post:{post.pk}",
        )
    ]


def _coordinator_messages(post: Post, template: str) -> list[Message]:
    return moderation.coordinator_messages(
        template=f"news/{template}", context={"post": post}, reference=f"news.post:{post.pk}"
    )


def save_post(
    *,
    by,
    post: Post | None = None,
    municipality=None,
    kind: str = Post.Kind.NEWS,
    title: str,
    teaser: str,
    body: str = "",
    topics=(),
    cover=None,
    remove_cover: bool = False,
    cover_alt: str = "",
    meeting=None,
    project=None,
) -> Post:
    """Create a draft or change a post. Members write for their own municipality only; the
    project it names must be one the writer may see (or the one it already named)."""
    coordinator = is_coordinator(by)
    contact = contact_of(by)
    if not coordinator and contact is None:
        raise PostError(_("Only members of the network may write posts."))
    creating = post is None
    if creating:
        post = Post(author=by if by.is_authenticated else None)
        post.municipality = municipality if coordinator else contact.municipality
    else:
        post = Post.objects.get(pk=post.pk)  # judge the stored state, not a stale copy
        _check_editable(by, post)

    title = " ".join((title or "").split())
    teaser = (teaser or "").strip()
    if not title:
        raise PostError(_("Please enter a title."), field="title")
    if not teaser:
        raise PostError(_("Please enter a teaser."), field="teaser")
    _check_project(by, post, project)
    keeps_image = bool(post.cover_image) and not remove_cover
    if (cover is not None or keeps_image) and not cover_alt.strip():
        raise PostError(_("Please describe the image in the alternative text."), field="cover_alt")

    new_cover = renditions = None
    if cover is not None:
        try:
            new_cover, renditions = process_cover(cover)
        except ValidationError as error:
            raise PostError(error.messages[0], field="cover_image") from None

    with transaction.atomic():
        if not creating:
            _check_editable(by, Post.objects.select_for_update().get(pk=post.pk))
        old_renditions = dict(post.cover_renditions)
        post.kind = kind
        post.title = title
        post.teaser = teaser
        post.body = body or ""
        post.body_html = render_markdown(post.body, images=True)
        post.cover_alt = cover_alt.strip()
        post.meeting = meeting
        post.project = project
        if post.published_at is None:  # the slug is stable once a post went public
            post.slug = unique_slug(Post.objects.all(), title, max_length=150, exclude=post)
        if new_cover is not None:
            if post.cover_image:
                post.cover_image.delete(save=False)
            post.cover_image.save(new_cover.name, new_cover, save=False)
            post.cover_renditions = renditions
        elif remove_cover and post.cover_image:
            post.cover_image.delete(save=False)
            post.cover_image = ""
            post.cover_renditions = {}
        post.save()
        post.topics.set(topics)
        PostEvent.record(
            post,
            action=PostEvent.Action.CREATED if creating else PostEvent.Action.UPDATED,
            by=by,
            old_status="" if creating else post.status,
        )
        if post.status == Post.Status.PUBLISHED:
            transaction.on_commit(pagecache.bump_version)
        if new_cover is not None or remove_cover:
            transaction.on_commit(lambda: delete_renditions(old_renditions))
    return post


def _check_project(by, post: Post, project) -> None:
    if project is None or project.pk == post.project_id:
        return
    if not project_permissions.visible_projects(by).filter(pk=project.pk).exists():
        raise PostError(
            _("This project profile cannot be chosen: it was withdrawn or you cannot see it."),
            field="project",
        )


def _check_editable(by, post: Post) -> None:
    if not permissions.can_edit_post(by, post):
        raise PostError(_("This post cannot be changed any more: it is under review or public."))


def _require_content(post: Post) -> None:
    if not post.body.strip():
        raise PostError(_("The post has no text yet. Please write the text first."), field="body")


def submit_post(*, post: Post, by) -> Post:
    """Send a draft (or a returned post) to the coordinators for review."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_edit_post(by, post):
            if post.status == Post.Status.SUBMITTED:
                raise PostError(_("This post has already been submitted."))
            raise PostError(_("You cannot submit this post."))
        WORKFLOW.check(moderation.SUBMIT, post.status)
        _require_content(post)
        WORKFLOW.take(moderation.SUBMIT, post, by=by, fields=["updated_at"])
        queue_emails(_coordinator_messages(post, "submitted"))
    return post


def publish_post(*, post: Post, by, publish_at=None) -> Post:
    """Publish now, or schedule for ``publish_at`` (the beat task publishes it then)."""
    if by is not None and not is_coordinator(by):
        raise PostError(_("Only the coordination team can publish posts."))
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        WORKFLOW.check(moderation.PUBLISH, post.status)
        _require_content(post)
        if publish_at is not None and publish_at > now:
            post.publish_at = publish_at
            WORKFLOW.take(moderation.SCHEDULE, post, by=by, fields=["publish_at", "updated_at"])
            audit.record(
                action=AuditAction.POST_SCHEDULED,
                obj=post,
                by=by,
                data={"publish_at": publish_at.isoformat()},
            )
            queue_emails(_author_message(post, "scheduled"))
            return post
        post.published_at = now
        post.publish_at = None
        WORKFLOW.take(
            moderation.PUBLISH, post, by=by, fields=["published_at", "publish_at", "updated_at"]
        )
        audit.record(action=AuditAction.POST_PUBLISHED, obj=post, by=by)
        queue_emails(_author_message(post, "published"))
        transaction.on_commit(pagecache.bump_version)
    return post


def request_changes(*, post: Post, by, comment: str) -> Post:
    """Send a submitted post back to its author with a comment."""
    if not is_coordinator(by):
        raise PostError(_("Only the coordination team can review posts."))
    comment = (comment or "").strip()
    if not comment:
        raise PostError(_("Please tell the author what to change."), field="comment")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.publish_at = None
        WORKFLOW.take(
            moderation.REQUEST_CHANGES,
            post,
            by=by,
            comment=comment,
            fields=["publish_at", "updated_at"],
        )
        audit.record(
            action=AuditAction.POST_CHANGES_REQUESTED, obj=post, by=by, data={"comment": comment}
        )
        queue_emails(_author_message(post, "changes_requested", comment=comment))
    return post


def archive_post(*, post: Post, by, comment: str = "") -> Post:
    """Withdraw a post from the public pages."""
    if by is not None and not permissions.can_archive_post(by, post):
        raise PostError(_("You cannot archive this post."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.publish_at = None
        old = WORKFLOW.take(
            moderation.WITHDRAW, post, by=by, comment=comment, fields=["publish_at", "updated_at"]
        )
        audit.record(action=AuditAction.POST_WITHDRAWN, obj=post, by=by, data={"comment": comment})
        if old == Post.Status.PUBLISHED:
            transaction.on_commit(pagecache.bump_version)
    return post


def publish_due_posts(*, now=None) -> int:
    """Publish every scheduled post whose time has come (called by the beat task)."""
    now = now or timezone.now()
    ids = list(
        Post.objects.filter(status=Post.Status.SUBMITTED, publish_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    published = 0
    for pk in ids:
        try:
            publish_post(post=Post(pk=pk), by=None)
        except PostError:
            continue
        published += 1
    return published
