from django.contrib.sitemaps import Sitemap

from .models import Municipality


class MunicipalitySitemap(Sitemap):
    """The public page of every member municipality."""

    changefreq = "monthly"

    def items(self):
        return Municipality.objects.members().only("slug").order_by("name")
