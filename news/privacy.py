"""Personal data in the news (collected by ``ikone.privacy``).

Posts belong to their municipality (or the coordination team): published posts stay public
when their author is anonymised. The ``author`` and ``actor`` links keep pointing to the
login, which ``members.privacy`` turns into a nameless placeholder; the person's name and
e-mail addresses are removed from the posts' and history entries' texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from ikone import pagecache
from ikone.dates import iso
from ikone.markup import render_markdown
from ikone.privacy import Subject, mentions, rewrite, scrub, scrubbed_fields
from ikone.text import unique_slug

from .models import Post, PostEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

COVERS = {
    "news.Post": "posts the person wrote: exported; the author link points to the "
    "anonymised login, names and addresses are removed from the texts; published posts stay "
    "public (they belong to the municipality)",
    "news.PostEvent": "workflow history (submitted, published, comments): exported; the "
    "actor link points to the anonymised login, names and addresses are removed from "
    "the comments",
}

POST_TEXT_FIELDS = ("title", "teaser", "body", "cover_alt")


def _posts(subject: Subject) -> QuerySet[Post]:
    query = mentions(POST_TEXT_FIELDS, subject) or Q(pk__in=[])
    if subject.user is not None:
        query |= Q(author=subject.user)
    return Post.objects.filter(query)


def _events(subject: Subject) -> QuerySet[PostEvent]:
    query = mentions(("comment",), subject) or Q(pk__in=[])
    if subject.user is not None:
        query |= Q(actor=subject.user)
    return PostEvent.objects.filter(query)


def export(subject: Subject) -> dict[str, Any]:
    if subject.user is None:
        return {"posts_written": [], "post_history": []}
    posts = (
        Post.objects.filter(author=subject.user)
        .select_related("municipality")
        .order_by("created_at", "pk")
    )
    events = (
        PostEvent.objects.filter(actor=subject.user)
        .select_related("post")
        .order_by("created_at", "pk")
    )
    return {
        "posts_written": [
            {
                "title": post.title,
                "kind": post.kind,
                "status": post.status,
                "municipality": post.municipality.name if post.municipality_id else None,
                "teaser": post.teaser,
                "created_at": iso(post.created_at),
                "updated_at": iso(post.updated_at),
                "publish_at": iso(post.publish_at),
                "published_at": iso(post.published_at),
                "url": post.get_absolute_url() if post.is_public else None,
            }
            for post in posts
        ],
        "post_history": [
            {
                "post": event.post.title,
                "action": event.action,
                "old_status": event.old_status,
                "new_status": event.new_status,
                "comment": event.comment,
                "at": iso(event.created_at),
            }
            for event in events
        ],
    }


def _anonymise_post(post: Post, subject: Subject, *, by: AbstractBaseUser) -> bool:
    """Remove the person from the post's texts; True if something changed."""
    changed = scrubbed_fields(post, POST_TEXT_FIELDS, subject)
    if not changed:
        return False
    if "body" in changed:
        changed["body_html"] = render_markdown(changed["body"], images=True)
    if "title" in changed and post.published_at is None:  # public slugs stay stable
        changed["slug"] = unique_slug(
            Post.objects.all(), changed["title"], max_length=150, exclude=post
        )
    rewrite(post, changed, by=by)
    return True


def anonymise(subject: Subject, *, by: AbstractBaseUser) -> None:
    public_changed = False
    for post in _posts(subject).only("pk", "title", "published_at", *POST_TEXT_FIELDS):
        if _anonymise_post(post, subject, by=by) and post.published_at is not None:
            public_changed = True
    for event in _events(subject).only("pk", "comment"):
        comment = scrub(event.comment, subject)
        if comment != event.comment:
            PostEvent.objects.filter(pk=event.pk).update(comment=comment)
    if public_changed:
        transaction.on_commit(pagecache.bump_version)
