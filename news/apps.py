from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from projects.expertise import register_source

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from .expertise import posts

        register_source(posts)  # published posts count as evidence for "Wen fragen?"
