"""RSS and Atom feeds: all posts, per municipality, per topic.

Teasers are member-written plain text. Feed readers render an RSS ``<description>`` and an
Atom ``<summary type="html">`` as HTML, so the teaser goes out as text: HTML-escaped inside
the RSS description, and as ``<summary type="text">`` in Atom.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from members.models import Municipality, Topic

from .models import Post

FEED_SIZE = 20


class LatestPostsFeed(Feed):
    title = _("IKONE DS – news from the network")
    description = _("News and blog posts of the municipalities of the IKONE DS network.")

    def link(self, obj=None):
        return reverse("news:list")

    def items(self, obj=None):
        return Post.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS has no text type for <description>: readers treat it as HTML, so escape.
        return escape(item.teaser)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.municipality.name if item.municipality_id else "IKONE DS"

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_guid(self, item):
        return f"{settings.SITE_URL}/news/{item.pk}"

    item_guid_is_permalink = False


class MunicipalityFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Municipality, slug=slug)

    def title(self, obj):
        return _("IKONE DS – news from %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return reverse("news:list") + f"?municipality={obj.slug}"

    def items(self, obj=None):
        return Post.objects.published().for_listing().filter(municipality=obj)[:FEED_SIZE]


class TopicFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return _("IKONE DS – news on %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return reverse("news:list") + f"?topic={obj.slug}"

    def items(self, obj=None):
        return Post.objects.published().for_listing().filter(topics=obj)[:FEED_SIZE]


class PlainTextSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summary is ``type="text"`` (Django writes ``type="html"``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class AtomMixin:
    feed_type = PlainTextSummaryAtomFeed

    def subtitle(self, obj=None):
        return LatestPostsFeed.description

    def item_description(self, item):
        return item.teaser


class LatestPostsAtomFeed(AtomMixin, LatestPostsFeed):
    pass


class MunicipalityAtomFeed(AtomMixin, MunicipalityFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass
