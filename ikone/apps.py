from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkoneConfig(AppConfig):
    """The project itself: site-wide views, templates tags and management commands."""

    name = "ikone"
    verbose_name = _("IKONE Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps
        from django.conf import settings

        from . import audit, checks, security  # noqa: F401  (signal receivers, checks)

        for label, fields in settings.IKONE_AUDITED_MODELS.items():
            audit.track(apps.get_model(label), fields=fields)
