"""Checks and clean-up of uploaded files, shared by all apps.

The type of a file is taken from its content, never from its name or the browser's claim.
Images are opened with an explicit list of formats, refused above a pixel limit read from
the header (decompression bombs: nothing is decoded), JPEGs decoded already reduced, at
most a few at a time per process, and re-encoded without EXIF, XMP or comments under a
random name.
"""

from __future__ import annotations

import io
import math
import threading
import uuid

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# A baseline JPEG may have this many times the pixel limit: decoded at 1/2, 1/4 or 1/8 scale.
JPEG_SOURCE_FACTOR = 4


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


def _image_slots() -> threading.BoundedSemaphore:
    """The process-wide bound on images decoded at the same time (``IKONE_IMAGE_CONCURRENCY``)."""
    global _slots
    size = max(1, settings.IKONE_IMAGE_CONCURRENCY)
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels. At most %(limit)s megapixels are accepted (for "
            "example %(side)s × %(side)s pixels). Please upload a smaller image."
        )
        % {"limit": f"{limit / 1_000_000:g}", "side": math.isqrt(limit)},
        code="too_many_pixels",
    )


def _open_within_limits(data: bytes, *, max_width: int) -> Image.Image:
    """Open the image and check its size from the header alone: no pixel is decoded here.

    JPEG files are set to decode reduced (``draft``: a scale of 1/2, 1/4 or 1/8 chosen by
    the decoder, still at least ``max_width`` wide), so a baseline camera photo of up to
    ``JPEG_SOURCE_FACTOR`` times the pixel limit is accepted while no more than the limit is
    ever decoded. Other formats, and progressive JPEGs, must be within the limit.
    """
    max_pixels = settings.IKONE_MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Please upload an image in JPEG, PNG, WebP or GIF format."), code="not_image"
        ) from None
    width, height = image.size
    # A progressive JPEG keeps all its coefficients in memory while it decodes, whatever
    # the scale (~3 bytes a pixel): only baseline JPEGs may exceed the limit.
    reducible = image.format == "JPEG" and not image.info.get("progressive")
    source_limit = max_pixels * (JPEG_SOURCE_FACTOR if reducible else 1)
    if width * height > source_limit or width < 1 or height < 1:
        raise _too_many_pixels(max_pixels)
    if image.format == "JPEG" and width > max_width:
        image.draft(None, (max_width, 1))  # the width decides the scale
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


# Modes Pillow resizes with a proper filter: reduced before the conversion, which then has
# fewer pixels to copy. Palette and bilevel images are converted first.
_RESIZABLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK"}


def _reduced(image: Image.Image, *, mode: str, factor: int) -> Image.Image:
    """``image`` (palette, bilevel, 16 bit) converted to ``mode`` and reduced by ``factor``.

    Band by band, so that the full-size converted copy (4 bytes a pixel instead of one)
    never exists; the bands are a multiple of ``factor`` rows high, so the box averages of
    ``reduce`` do not see a seam.
    """
    width, height = image.size
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = factor * max(1, 256 // factor)
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(height, top + rows))).convert(mode)
        out.paste(band.reduce(factor), (0, top // factor))
    return out


def clean_image(upload, *, max_width: int = 2400, keep_alpha: bool = True) -> ContentFile:
    """Return the image re-encoded (EXIF and metadata stripped) as a new file.

    Raises ``ValidationError`` for anything that is not a JPEG, PNG, WebP or GIF image, for
    oversized files and for images above the pixel limit (``IKONE_MAX_IMAGE_PIXELS``,
    checked on the header before any pixel is decoded). At most
    ``IKONE_IMAGE_CONCURRENCY`` images are decoded at the same time in one process; an
    upload that finds no free slot within ``IKONE_IMAGE_WAIT_SECONDS`` is refused.
    """
    check_size(upload)
    upload.seek(0)
    data = upload.read()
    image = _open_within_limits(data, max_width=max_width)
    slots = _image_slots()
    if not slots.acquire(timeout=settings.IKONE_IMAGE_WAIT_SECONDS):
        raise ValidationError(
            _("Too many images are being processed right now. Please try again in a minute."),
            code="busy",
        )
    try:
        return _reencode(image, max_width=max_width, keep_alpha=keep_alpha)
    finally:
        image.close()
        slots.release()


def _reencode(image: Image.Image, *, max_width: int, keep_alpha: bool) -> ContentFile:
    try:
        image.load()
        has_alpha = image.mode in ("RGBA", "LA", "P") and keep_alpha
        mode = "RGBA" if has_alpha else "RGB"
        box = (max_width, max_width * 10)
        if image.width > max_width and image.mode in _RESIZABLE_MODES:
            image.thumbnail(box)
        elif image.width >= 2 * max_width:
            image = _reduced(image, mode=mode, factor=image.width // (2 * max_width))
        if image.mode != mode:
            image = image.convert(mode)
        if image.width > max_width:
            image.thumbnail(box)
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt pixel data
        raise ValidationError(
            _("Please upload an image in JPEG, PNG, WebP or GIF format."), code="not_image"
        ) from None
    # A fresh image from the (by now small) pixels alone: Pillow would otherwise carry
    # ``info`` (JPEG comment, ICC profile, XMP) over into the saved file.
    image = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
