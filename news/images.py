"""Cover images: cleaned by ``ikone.uploads.clean_image`` and resized for ``srcset``."""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from ikone.uploads import clean_image

WIDTHS = (480, 960, 1600)


def process_cover(upload) -> tuple[ContentFile, dict[str, str]]:
    """Return the cleaned full image and the saved renditions {width: storage name}.

    Raises ``ValidationError`` for anything ``clean_image`` refuses.
    """
    cleaned = clean_image(upload, max_width=max(WIDTHS))
    data = cleaned.read()
    cleaned.seek(0)
    image = Image.open(io.BytesIO(data))
    image.load()
    extension = cleaned.name.rsplit(".", 1)[-1]
    renditions: dict[str, str] = {}
    for width in WIDTHS:
        if width >= image.width:
            continue
        copy = image.copy()
        copy.thumbnail((width, width * 10))
        out = io.BytesIO()
        if extension == "png":
            copy.save(out, format="PNG", optimize=True)
        else:
            copy.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
        name = default_storage.save(
            f"news/{uuid.uuid4().hex}-{width}.{extension}", ContentFile(out.getvalue())
        )
        renditions[str(width)] = name
    return cleaned, renditions


def delete_renditions(renditions: dict[str, str]) -> None:
    for name in renditions.values():
        default_storage.delete(name)
