from django.contrib.sitemaps import Sitemap

from .models import Meeting


class MeetingSitemap(Sitemap):
    """Public meetings, announced, held or cancelled: their pages are what the public sees."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Meeting.objects.visible().only("slug", "updated_at").order_by("-start")

    def lastmod(self, item):
        return item.updated_at
