from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from . import search as search_source

        search_source.register()  # its part of the portal search
