import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkoneConfig(AppConfig):
    """The project itself: site-wide views, templates tags and management commands.

    As the top of the layers it also wires the apps into the bottom's registries that have
    a convention rather than a call in each app: the privacy providers (``<app>/privacy.py``).
    """

    name = "ikone"
    verbose_name = _("IKONE Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.apps import apps
        from django.db.models import IntegerField

        from . import audit, checks, security  # noqa: F401  (signal receivers, checks)
        from .expressions import IntegerIn

        IntegerField.register_lookup(IntegerIn)  # ids beyond 64 bits find nothing, everywhere

        # auditlog has no German catalogue: its app and model are named like ours.
        apps.get_app_config("auditlog").verbose_name = _("Field history")
        LogEntry._meta.verbose_name = _("field change")
        LogEntry._meta.verbose_name_plural = _("field changes")
        _register_privacy_providers()


def _register_privacy_providers() -> None:
    """The framework's own provider first (it is anonymised last), then each local app's."""
    from django.apps import apps
    from django.conf import settings

    from . import privacy, privacy_core

    privacy.register(privacy_core, label="ikone")
    for config in apps.get_app_configs():
        if config.name in settings.LOCAL_APPS and config.name != "ikone":
            try:
                module = importlib.import_module(f"{config.name}.privacy")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.privacy":
                    raise
                continue
            privacy.register(module, label=config.name)
