"""Cover images of profiles: re-encoded without metadata by ``ikone.uploads.clean_image``."""

from django.core.files.base import ContentFile

from ikone.uploads import clean_image

MAX_WIDTH = 1600


def process_cover(upload) -> ContentFile:
    """The cleaned image; raises ``ValidationError`` for anything ``clean_image`` refuses."""
    return clean_image(upload, max_width=MAX_WIDTH)
