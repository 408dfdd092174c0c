from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project catalogue")

    def ready(self):
        from . import area, expertise_sources, municipality  # noqa: F401 (register start-page and municipality page parts)
        from . import search as search_source

        expertise_sources.register_sources()  # roles and reuse as evidence for "Wen fragen?"

        search_source.register()  # its part of the portal search
