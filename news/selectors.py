"""Reads of news that other places share (the home page)."""

from django.conf import settings

from .models import Post


def latest_posts(count: int | None = None) -> list[Post]:
    """The newest published posts for the homepage (two queries whatever their number)."""
    return list(Post.objects.published().for_listing()[: count or settings.IKONE_NEWS_HOME_COUNT])
