from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from ikone import audit, pagecache
        from projects.models import ProjectProfile

        # start-page to-dos and card; posts on project, topic and municipality pages
        from . import area, expertise, sections  # noqa: F401
        from . import search as search_source
        from .models import Post

        expertise.register_source()  # published posts count as evidence for "Wen fragen?"

        # A cached post page links to its project only while the profile is public.
        pagecache.invalidate_on_change(ProjectProfile)

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Post, m2m_fields=("topics",))

        search_source.register()  # its part of the portal search
