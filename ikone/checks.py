"""System checks of the project's own settings."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from .storage import is_inside


@checks.register(checks.Tags.security)
def private_media_outside_media_root(app_configs=None, **kwargs):
    """Private uploads must not be reachable through the public media route."""
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    if is_inside(private, media) or is_inside(media, private):
        return [
            checks.Error(
                "PRIVATE_MEDIA_ROOT and MEDIA_ROOT overlap.",
                hint="Keep private uploads in a folder of their own, outside MEDIA_ROOT.",
                id="ikone.E001",
            )
        ]
    return []
