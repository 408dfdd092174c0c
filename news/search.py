"""The news' part of the portal search: published posts, for everybody (as ``/neuigkeiten/``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ikone import search

from .models import Post


def post_documents(posts: Iterable[Post]) -> Iterable[search.Document]:
    for post in posts:
        municipality = post.municipality
        yield search.Document(
            object_id=post.pk,
            title=post.title,
            url=search.address(post),
            date=post.published_at or post.created_at,
            lead=post.teaser,
            body=f"{post.body_html or post.body} {municipality.name if municipality else ''}",
        )


def visible_posts(*, user, topic=None, municipality=None) -> QuerySet:
    """Published posts only: drafts and posts under review are never found, by anyone."""
    posts = Post.objects.published()
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
            visible=visible_posts,
            order=20,
        )
    )
