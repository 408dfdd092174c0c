"""The sitemap: the site's own pages plus each app's public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.sitemaps import MeetingSitemap
from members.sitemaps import MunicipalitySitemap
from news.sitemaps import PostSitemap
from projects.sitemaps import ProjectSitemap, TopicSitemap


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "news:list",
            "meetings:upcoming",
            "meetings:past",
            "members:municipality_list",
            "members:apply",
            "projects:list",
            "projects:topics",
            "imprint",
            "privacy",
            "accessibility",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "posts": PostSitemap,
    "meetings": MeetingSitemap,
    "municipalities": MunicipalitySitemap,
    "projects": ProjectSitemap,
    "topics": TopicSitemap,
}
