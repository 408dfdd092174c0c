from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        # start-page to-dos and card; posts on project, topic and municipality pages
        from . import area, sections  # noqa: F401
