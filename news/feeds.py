"""RSS and Atom feeds: all posts, per municipality, per topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
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
        return item.teaser

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


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return LatestPostsFeed.description


class LatestPostsAtomFeed(AtomMixin, LatestPostsFeed):
    pass


class MunicipalityAtomFeed(AtomMixin, MunicipalityFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass
