"""Checks and clean-up of uploaded files, shared by all apps.

The type of a file is taken from its content, never from its name or the browser's claim.
Images are opened with an explicit list of formats, refused above a pixel limit
(decompression bombs), and re-encoded without EXIF, XMP or comments under a random name.
"""

from __future__ import annotations

import io
import uuid
import warnings

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


def check_size(upload, *, limit: int | None = None) -> None:
    limit = limit or settings.IKONE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def validate_pdf(upload, *, limit: int | None = None) -> None:
    """Accept only PDF files that open, up to the size limit.

    The file must start with the PDF header (so that no browser or mail client takes it for
    HTML) and parse with ``pypdf`` down to its page tree, with at least one page. Encrypted
    files are accepted only when they open without a password (an owner password that merely
    restricts printing or editing); a file that needs a password to be read is refused, as
    the coordination team could not read it.
    """
    check_size(upload, limit=limit)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    not_pdf = ValidationError(_("Please upload a PDF file."), code="not_pdf")
    if not data.startswith(b"%PDF-"):
        raise not_pdf
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is protected by a password. Please upload it without a password."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of error on broken files
        raise not_pdf from None
    if pages < 1:
        raise not_pdf


def clean_image(upload, *, max_width: int = 2400, keep_alpha: bool = True) -> ContentFile:
    """Return the image re-encoded (EXIF and metadata stripped) as a new file.

    Raises ``ValidationError`` for anything that is not a JPEG, PNG, WebP or GIF image, for
    oversized files and for images above the pixel limit.
    """
    check_size(upload)
    max_pixels = settings.IKONE_MAX_IMAGE_PIXELS
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = max_pixels
            try:
                image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
                if image.width * image.height > max_pixels:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image has too many pixels. Please upload a smaller image."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Please upload an image in JPEG, PNG, WebP or GIF format."), code="not_image"
        ) from None

    has_alpha = image.mode in ("RGBA", "LA", "P") and keep_alpha
    image = image.convert("RGBA" if has_alpha else "RGB")
    # A fresh image from the pixels alone: Pillow would otherwise carry ``info`` (JPEG
    # comment, ICC profile, XMP) over into the saved file.
    image = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.width > max_width:
        image.thumbnail((max_width, max_width * 10))
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
