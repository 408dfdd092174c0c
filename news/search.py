"""The news' part of the portal search: published posts, for everybody (as ``/neuigkeiten/``).

Drafts, posts under review and posts sent back are found by nobody; a scheduled post from
its publication time on.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from .models import Post


def post_documents(posts: Iterable[Post]) -> Iterable[search.Document]:
    for post in posts:
        if post.status != Post.Status.PUBLISHED or post.published_at is None:
            continue
        municipality = post.municipality
        yield search.Document(
            object_id=post.pk,
            title=post.title,
            url=search.address(post),
            date=post.published_at,
            lead=post.teaser,
            body=f"{post.body_html or post.body} {municipality.name if municipality else ''}",
            audience=search.PUBLIC,
            visible_from=post.published_at,
        )


def narrow_posts(*, topic=None, municipality=None) -> QuerySet:
    posts = Post.objects.all()
    if topic is not None:
        posts = posts.filter(topics=topic)
    if municipality is not None:
        posts = posts.filter(municipality=municipality)
    return posts


def register() -> None:
    search.register(
        search.Source(
            kind="post",
            label=_("News"),
            model=Post,
            queryset=lambda: Post.objects.select_related("municipality"),
            documents=post_documents,
            narrow=narrow_posts,
            order=20,
        )
    )
