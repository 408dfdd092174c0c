"""Posts as evidence for *Wen fragen?* (an index source, registered in ``apps.py``): a
published post a contact person wrote, on its topics, from its publication on
(``counts_from``). Kept in ``projects.expertise_index``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Contact
from projects.expertise import POST, post_reason
from projects.expertise_index import IndexSource, Item, register

from .models import Post

POSTS = "news.posts"


def post_items(posts: QuerySet) -> Iterable[Item]:
    found = list(
        posts.filter(status=Post.Status.PUBLISHED, published_at__isnull=False, author__isnull=False)
        .only("pk", "author_id", "published_at")
        .prefetch_related("topics")
    )
    authors = defaultdict(list)
    for contact_id, user_id in Contact.objects.filter(
        user_id__in={post.author_id for post in found}
    ).values_list("pk", "user_id"):
        authors[user_id].append(contact_id)
    for post in found:
        for contact_id in authors.get(post.author_id, ()):
            yield Item(
                contact_id=contact_id,
                kind="post",
                object_id=post.pk,
                weight=POST,
                when=timezone.localdate(post.published_at),
                topic_ids=tuple(topic.pk for topic in post.topics.all()),
                counts_from=post.published_at,
            )


def post_reasons(ids: list[int]) -> dict[int, str]:
    return {
        pk: post_reason(title=title)
        for pk, title in Post.objects.filter(pk__in=ids).values_list("pk", "title")
    }


def _written_by(contact_ids: list[int]) -> QuerySet:
    users = Contact.objects.filter(pk__in=contact_ids, user__isnull=False).values("user_id")
    return Post.objects.filter(author_id__in=users)


def register_source() -> None:
    register(
        IndexSource(
            name=POSTS,
            model=Post,
            items=post_items,
            records_of=_written_by,
            reasons={"post": post_reasons},
            m2m={Post.topics.through: lambda ids: ids},
        )
    )
