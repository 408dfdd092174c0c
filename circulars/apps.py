from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "circulars"
    verbose_name = _("Circular letters")

    def ready(self):
        from ikone import audit

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from . import search as search_source
        from .models import Circular, CircularAttachment

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Circular, m2m_fields=("topics", "contacts"))
        audit.register(CircularAttachment)

        search_source.register()  # its part of the portal search
