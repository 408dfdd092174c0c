from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from members.models import Topic

from .models import ProjectProfile


class ProjectSitemap(Sitemap):
    """The public project profiles (the members-only ones are no page for a visitor)."""

    changefreq = "monthly"

    def items(self):
        return ProjectProfile.objects.public().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class TopicSitemap(Sitemap):
    """The page of every active topic."""

    changefreq = "weekly"

    def items(self):
        return Topic.objects.filter(is_active=True).only("slug").order_by("slug")

    def location(self, item):
        return reverse("projects:topic", kwargs={"slug": item.slug})
