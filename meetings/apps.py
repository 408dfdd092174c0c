from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from ikone import audit, pagecache
        from members.models import Municipality

        from . import area  # noqa: F401 (registers its start-page to-dos and card)
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

        # The home page shows the next public meeting with its agenda; the OParl pages show
        # meetings (their state follows the invitations), series and member municipalities.
        pagecache.invalidate_on_change(Meeting, AgendaItem, Invitation, MeetingSeries, Municipality)

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Meeting, m2m_fields=("invited_municipalities",))
        audit.register(AgendaItem, m2m_fields=("topics",))
        for model in (MeetingSeries, BlackoutPeriod, Workshop, Registration, ActionItem):
            audit.register(model)
