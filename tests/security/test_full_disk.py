"""A disk that fills up while an upload is stored: a 503 that says so, not a 500."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import MembershipApplication
from tests.members.helpers import application_data
from tests.pdfs import big_pdf


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_an_application_whose_letter_does_not_fit_on_the_disk_is_a_503(
    settings, small_disk, language
):
    """The letter goes to the private uploads, here a volume with 2 MB: the disk fills up
    while it is written (ENOSPC, a real one)."""
    from django.test import Client

    settings.PRIVATE_MEDIA_ROOT = small_disk
    client = Client(raise_request_exception=False)
    data = {**application_data(), "privacy_consent": "on"}
    data["letter"] = SimpleUploadedFile("antrag.pdf", big_pdf(3), "application/pdf")

    response = client.post("/mitglied-werden/", data, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 503
    text = response.content.decode()
    assert (
        "Dateien können gerade nicht gespeichert werden"
        if language == "de"
        else "Files cannot be stored right now"
    ) in text
    assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_half_written_file(client, settings, small_disk):
    """Django's storage kept the 2 MB it had written: every refused upload kept the disk
    full."""
    settings.PRIVATE_MEDIA_ROOT = small_disk
    client.raise_request_exception = False
    data = {**application_data(), "privacy_consent": "on"}
    data["letter"] = SimpleUploadedFile("antrag.pdf", big_pdf(3), "application/pdf")

    client.post("/mitglied-werden/", data, HTTP_ACCEPT_LANGUAGE="de")

    assert [path for path in small_disk.rglob("*") if path.is_file()] == []


def test_a_file_already_there_under_the_same_name_is_never_removed(settings, small_disk):
    """The name is taken, so the new file goes under another one; when that one does not fit,
    only it is removed, and the file that was there stays as it was."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = small_disk
    kept = default_storage.save("logos/wappen.png", ContentFile(b"x" * 1024 * 1024))

    with pytest.raises(OSError, match="No space left"):
        default_storage.save("logos/wappen.png", ContentFile(os.urandom(3 * 1024 * 1024)))

    assert kept == "logos/wappen.png"
    assert [path.name for path in (small_disk / "logos").iterdir()] == ["wappen.png"]
    assert (small_disk / "logos" / "wappen.png").read_bytes() == b"x" * 1024 * 1024


def test_a_name_taken_while_the_file_is_written_keeps_the_other_file(settings, small_disk):
    """Another upload takes the chosen name between ``save()`` choosing it and ``_save()``
    opening it (here: ``_save`` is handed a taken name): Django writes under a new name, and
    when that one does not fit, only it is removed."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = small_disk
    default_storage.save("logos/wappen.png", ContentFile(b"x" * 1024 * 1024))

    with pytest.raises(OSError, match="No space left"):
        default_storage._save("logos/wappen.png", ContentFile(os.urandom(3 * 1024 * 1024)))

    assert [path.name for path in (small_disk / "logos").iterdir()] == ["wappen.png"]
    assert (small_disk / "logos" / "wappen.png").read_bytes() == b"x" * 1024 * 1024


def test_a_new_public_file_that_does_not_fit_is_removed(settings, small_disk):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = small_disk

    with pytest.raises(OSError, match="No space left"):
        default_storage.save("news/titelbild.jpg", ContentFile(os.urandom(3 * 1024 * 1024)))

    assert [path for path in small_disk.rglob("*") if path.is_file()] == []
