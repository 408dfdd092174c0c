from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "news:list", "members:municipality_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"posts": PostSitemap, "pages": StaticSitemap}
