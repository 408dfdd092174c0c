"""Where uploads live: public files under ``MEDIA_ROOT``, private ones under ``PRIVATE_MEDIA_ROOT``.

Public uploads (logos, news cover images) are served to everyone by ``ikone.views.media``.
Private uploads — signed application letters, attachments of circular letters, slides of
agenda items — are stored outside ``MEDIA_ROOT`` in the ``private`` storage, under random
names, and reach a browser only through views that check who asks:

* application letters: the admin (``MembershipApplicationAdmin.letter_view``, coordinators);
* circular attachments: ``circulars:attachment`` (recipients and coordinators);
* slides: ``meetings:slides`` (whoever may see the meeting).

The private storage has no URL: ``url()`` raises, so no template can link a private file
past its view by mistake.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

PRIVATE = "private"  # alias in settings.STORAGES

# The first path parts the public media route serves; anything else answers 404.
PUBLIC_MEDIA_PREFIXES = ("logos", "news", "projects")


# The errors of a disk without room: the request cannot be served, it is not wrong.
FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT})


class RemovesPartialFiles:
    """A file the disk had no room for is removed again instead of being left half-written.

    Django's ``FileSystemStorage`` leaves what it wrote before ``ENOSPC``: each refused
    upload would keep the disk full. Only the file this call created is removed: ``_save``
    opens its file exclusively, and should another upload have taken the name, it asks
    ``get_available_name`` for another one, which is noted here (per thread) so that the name
    it last tried is the one removed. A name taken by someone else fails with
    ``FileExistsError`` before anything is written, never with ``ENOSPC``.
    """

    _attempt = threading.local()

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length=max_length)
        self._attempt.name = name
        return name

    def _save(self, name, content):
        self._attempt.name = name
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno in FULL_DISK:
                with contextlib.suppress(OSError):
                    Path(self.path(self._attempt.name)).unlink(missing_ok=True)
            raise


class PublicStorage(RemovesPartialFiles, FileSystemStorage):
    """The public uploads under ``MEDIA_ROOT`` (the default storage)."""


class PrivateStorage(RemovesPartialFiles, FileSystemStorage):
    """``FileSystemStorage`` under ``settings.PRIVATE_MEDIA_ROOT``, without URLs.

    The location is read from the settings on every use (not cached), so tests and
    management commands that change ``PRIVATE_MEDIA_ROOT`` see the change.
    """

    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private uploads have no URL; link the view that checks access.")


def private_storage() -> PrivateStorage:
    """The private storage (a callable, so that model fields and migrations name it)."""
    return storages[PRIVATE]


def random_name(prefix: str, filename: str, *, extension: str = "") -> str:
    """``<prefix>/<32 hex digits><extension>``: nothing of the uploaded name is kept."""
    extension = extension or Path(filename).suffix.lower()[:10]
    if not extension.replace(".", "").isalnum():
        extension = ""
    return f"{prefix}/{uuid.uuid4().hex}{extension}"


def display_filename(name: str, *, default: str, max_length: int = 150) -> str:
    """The last part of an uploaded file name, printable characters only, for downloads."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip().strip(".")
    return name[-max_length:] or default


def is_inside(path: Path, root: Path) -> bool:
    path, root = Path(path).resolve(), Path(root).resolve()
    return path == root or root in path.parents


def move_file(source, name: str, target, new_name: str, *, moved: list) -> bool:
    """Copy ``name`` from storage ``source`` to ``new_name`` in ``target`` (data migrations).

    The original is not deleted here: ``moved`` collects ``(source, name)`` so the caller
    deletes them once its transaction has committed (a failed migration leaves them be).
    Returns False when the source file does not exist (nothing to move).
    """
    if not name or not source.exists(name):
        return False
    with source.open(name, "rb") as handle:
        stored = target.save(new_name, handle)
    if stored != new_name:
        raise RuntimeError(f"{new_name} already exists in the target storage")
    moved.append((source, name))
    return True


def delete_after_commit(moved: list) -> None:
    from django.db import transaction

    def delete():
        for storage, name in moved:
            storage.delete(name)

    transaction.on_commit(delete)


class PrivateFileLink:
    """What a file widget shows of a stored private file: its name, linked to its view."""

    def __init__(self, url: str, label: str):
        self.url = url
        self.label = label

    def __str__(self) -> str:
        return self.label


def private_file_widget(*, link):
    """The admin's file widget for a private upload.

    ``link(instance)`` gives ``(url, label)`` of the permission-checked view of the file:
    Django's widget would ask the storage for a URL, which private files do not have.
    """
    from django.contrib.admin.widgets import AdminFileWidget

    class PrivateFileWidget(AdminFileWidget):
        def is_initial(self, value):
            instance = getattr(value, "instance", None)
            return bool(value) and instance is not None and instance.pk is not None

        def format_value(self, value):
            if self.is_initial(value):
                url, label = link(value.instance)
                return PrivateFileLink(url, label)
            return None

    return PrivateFileWidget()


def private_file_response(
    fieldfile, *, filename: str, content_type: str = "application/pdf", inline: bool = False
):
    """A private file for a view that has checked access (404 if it is gone), kept out of
    shared caches.

    A download by default. ``inline=True`` lets the browser's PDF viewer open it (slides:
    checked to be a PDF at upload); the page's CSP then allows nothing but the viewer.
    """
    from django.http import FileResponse, Http404

    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A sandboxed document cannot show the PDF viewer; an inline PDF gets no scripts,
    # styles or connections of the portal's origin instead.
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'" if inline else "default-src 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response
