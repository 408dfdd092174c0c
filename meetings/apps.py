from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from ikone import pagecache
        from members.models import Municipality

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
        from .models import AgendaItem, Invitation, Meeting, MeetingSeries

        # The home page shows the next public meeting with its agenda; the OParl pages show
        # meetings (their state follows the invitations), series and member municipalities.
        pagecache.invalidate_on_change(Meeting, AgendaItem, Invitation, MeetingSeries, Municipality)
        from . import search as search_source

        search_source.register()  # its part of the portal search
