from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from ikone import pagecache

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from .models import AgendaItem, Meeting

        # The home page shows the next public meeting with its agenda.
        pagecache.invalidate_on_change(Meeting, AgendaItem)
