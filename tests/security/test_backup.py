"""Backup and restore, end to end: what a coordinator gets back after a restore."""

import tarfile
from io import StringIO

import pytest
from django.core.management import call_command

from members.models import Municipality
from tests.factories import MunicipalityFactory


def archive_names(path):
    with tarfile.open(path) as archive:
        return archive.getnames()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_restore_brings_back_database_and_media_as_they_were(
    transactional_db, media_root, tmp_path
):
    MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    (media_root / "logos").mkdir()
    (media_root / "logos" / "kl.png").write_bytes(b"original logo")
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", str(archive), stdout=StringIO())

    Municipality.objects.filter(slug="kaiserslautern").update(name="Geändert")
    MunicipalityFactory(name="Nach dem Backup", slug="nach-dem-backup")
    (media_root / "logos" / "kl.png").write_bytes(b"overwritten")
    (media_root / "logos" / "new.png").write_bytes(b"new file")

    call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert list(Municipality.objects.values_list("name", flat=True)) == ["Kaiserslautern"]
    assert (media_root / "logos" / "kl.png").read_bytes() == b"original logo"
    assert not (media_root / "logos" / "new.png").exists()


def test_private_uploads_are_backed_up_and_restored(
    transactional_db, media_root, settings, tmp_path
):
    """Application letters etc. live outside MEDIA_ROOT: the archive must carry them too."""
    private = settings.PRIVATE_MEDIA_ROOT
    (private / "applications").mkdir(parents=True)
    (private / "applications" / "brief.pdf").write_bytes(b"signed letter")
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", str(archive), stdout=StringIO())
    (private / "applications" / "brief.pdf").write_bytes(b"overwritten")
    (private / "applications" / "later.pdf").write_bytes(b"after the backup")

    call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert "private/applications/brief.pdf" in archive_names(archive)
    assert (private / "applications" / "brief.pdf").read_bytes() == b"signed letter"
    assert not (private / "applications" / "later.pdf").exists()


def test_backup_is_one_archive_with_database_media_and_manifest(
    transactional_db, media_root, tmp_path
):
    (media_root / "a.txt").write_text("x")

    call_command("backup", str(tmp_path), stdout=StringIO())

    (archive,) = tmp_path.glob("ikone-backup-*.tar.gz")
    names = archive_names(archive)
    assert "manifest.json" in names
    assert "media/a.txt" in names
    assert {"database.dump", "database.sqlite3"} & set(names)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"


def test_backup_on_postgresql_uses_pg_dump(postgres, transactional_db, media_root, tmp_path):
    """In CI: the same round trip against PostgreSQL (pg_dump / pg_restore)."""
    MunicipalityFactory(name="Trier", slug="trier")
    archive = tmp_path / "pg.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    Municipality.objects.all().delete()

    call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert "database.dump" in archive_names(archive)
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["trier"]
