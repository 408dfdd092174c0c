from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from ikone import audit, pagecache
        from members.models import Municipality

        # start-page to-dos and card; talks on project, topic and municipality pages
        from . import area, expertise, talks  # noqa: F401
        from . import search as search_source
        from .models import (
            ActionItem,
            AgendaItem,
            BlackoutPeriod,
            Invitation,
            Meeting,
            MeetingSeries,
            Registration,
            Workshop,
        )
        from .oparl import tombstones

        expertise.register_source()  # talks at past public meetings count for "Wen fragen?"

        # The home page shows the next public meeting with its agenda; the OParl pages show
        # meetings (their state follows the invitations), series and member municipalities.
        pagecache.invalidate_on_change(Meeting, AgendaItem, Invitation, MeetingSeries, Municipality)
        # OParl keeps what it published and then lost (deleted, depublished, consent
        # withdrawn) as tombstones; see meetings/oparl/tombstones.py.
        tombstones.connect()

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Meeting, m2m_fields=("invited_municipalities",))
        audit.register(AgendaItem, m2m_fields=("topics",))
        for model in (MeetingSeries, BlackoutPeriod, Workshop, Registration, ActionItem):
            audit.register(model)

        search_source.register()  # its part of the portal search
