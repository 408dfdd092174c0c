from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from ikone import audit

        from . import (
            area,  # noqa: F401 (registers its start-page to-dos and card)
            rankings,  # noqa: F401 (provides ikone.rankings with the topic ranking)
        )
        from .models import Option, Question, Survey

        # Field history of the coordinators' edits (ikone.audit).
        audit.register(Survey, m2m_fields=("municipalities", "invited_municipalities"))
        audit.register(Question)
        audit.register(Option)
