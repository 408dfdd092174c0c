"""Real PDF files for tests that go through the upload checks (``validate_pdf``)."""

import io
import os

import pypdf


def tiny_pdf(
    *, pages: int = 1, user_password: str | None = None, owner_password: str = ""
) -> bytes:
    """A valid PDF of blank A4 pages, written by pypdf; optionally encrypted."""
    writer = pypdf.PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(595, 842)
    if user_password is not None:
        writer.encrypt(
            user_password=user_password, owner_password=owner_password or None, algorithm="AES-128"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def big_pdf(megabytes: int) -> bytes:
    """A valid PDF of about ``megabytes`` MB: a blank page and an embedded file of random
    bytes (which no compression shrinks)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("anlage.bin", os.urandom(megabytes * 1024 * 1024))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
