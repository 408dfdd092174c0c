from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from ikone import audit

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from .models import Post

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Post, m2m_fields=("topics",))
