"""Backup and restore, end to end: what a coordinator gets back after a restore."""

import tarfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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


def write_archive(path, members):
    """A .tar.gz with the given {name: bytes} members."""
    import io

    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


BROKEN_ARCHIVES = {
    "not an archive": None,
    "truncated": "truncated",
    "no manifest": {"database.sqlite3": b""},
    "manifest not JSON": {"manifest.json": b"{format: 2"},
    "manifest not an object": {"manifest.json": b"[2]"},
    "no database in it": {"manifest.json": b'{"format": 2, "database": "sqlite"}'},
    "unknown database": {
        "manifest.json": b'{"format": 2, "database": "oracle"}',
        "database.sqlite3": b"",
    },
    "database file is no database": {
        "manifest.json": b'{"format": 2, "database": "sqlite"}',
        "database.sqlite3": b"this is not SQLite",
    },
    "database of something else": "foreign sqlite",
    "path out of the archive": {
        "manifest.json": b'{"format": 2, "database": "sqlite"}',
        "../outside.txt": b"x",
    },
}


@pytest.mark.parametrize("kind", BROKEN_ARCHIVES)
def test_a_broken_or_foreign_archive_is_refused_and_changes_nothing(
    kind, transactional_db, media_root, tmp_path
):
    """Restore replaces everything: an archive that is not a whole backup of this portal must
    be refused before the database or a file is touched, with a message, not a traceback.
    (A manifest without its database restored an empty SQLite file over the portal.)"""
    import sqlite3

    MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    (media_root / "logo.png").write_bytes(b"kept")
    archive = tmp_path / "broken.tar.gz"
    spec = BROKEN_ARCHIVES[kind]
    if spec is None:
        archive.write_bytes(b"\x00junk" * 100)
    elif spec == "truncated":
        call_command("backup", str(archive), stdout=StringIO())
        archive.write_bytes(archive.read_bytes()[:200])
    elif spec == "foreign sqlite":
        foreign = tmp_path / "foreign.sqlite3"
        connection = sqlite3.connect(foreign)
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.commit()
        connection.close()
        write_archive(
            archive,
            {
                "manifest.json": b'{"format": 2, "database": "sqlite"}',
                "database.sqlite3": foreign.read_bytes(),
            },
        )
    else:
        write_archive(archive, spec)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert "Traceback" not in str(refused.value)
    assert str(refused.value)
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["kaiserslautern"]
    assert (media_root / "logo.png").read_bytes() == b"kept"
    assert not (tmp_path.parent / "outside.txt").exists()


def test_restore_names_a_folder_given_instead_of_an_archive(db, tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path), "--noinput", stdout=StringIO())


@pytest.mark.parametrize("dump", ["junk", "another database"])
def test_on_postgresql_a_dump_that_is_not_of_this_portal_is_refused(
    dump, postgres, transactional_db, media_root, tmp_path
):
    """In CI: pg_restore --clean would drop the portal's tables before failing on a foreign
    dump; the dump is listed and checked first."""
    import subprocess

    from django.db import connection

    MunicipalityFactory(name="Trier", slug="trier")
    database = tmp_path / "database.dump"
    if dump == "junk":
        database.write_bytes(b"PGDMP but not really")
    else:
        settings_dict = connection.settings_dict
        command = ["pg_dump", "--format=custom", "--file", str(database)]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings_dict.get(key):
                command += [option, str(settings_dict[key])]
        subprocess.run([*command, "template1"], check=True, capture_output=True)  # noqa: S603
    archive = write_archive(
        tmp_path / "foreign.tar.gz",
        {
            "manifest.json": b'{"format": 2, "database": "postgresql"}',
            "database.dump": database.read_bytes(),
        },
    )

    with pytest.raises(CommandError, match="database.dump"):
        call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert list(Municipality.objects.values_list("slug", flat=True)) == ["trier"]


def test_a_backup_that_cannot_be_written_says_where_and_why(db, media_root, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")

    with pytest.raises(CommandError, match="Cannot write the backup to .*a-file"):
        call_command("backup", str(tmp_path / "a-file" / "backup.tar.gz"), stdout=StringIO())


def test_a_backup_that_fails_half_way_leaves_no_partial_archive(db, media_root, tmp_path):
    """The disk fills up while the archive is written (a real write error: the process may
    write no file beyond 6 MB, and the uploads are 8 MB): the half-written file is removed and
    the message says why."""
    import os
    import resource
    import signal

    (media_root / "video.bin").write_bytes(os.urandom(8 * 1024 * 1024))  # gzip cannot shrink it
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (6 * 1024 * 1024, limits[1]))
    try:
        with pytest.raises(CommandError, match="File too large"):
            call_command("backup", str(tmp_path / "backup.tar.gz"), stdout=StringIO())
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)

    assert list(tmp_path.glob("backup.tar.gz*")) == []


def test_restore_without_a_terminal_to_answer_is_cancelled(db, media_root, tmp_path, monkeypatch):
    """Run from cron or a pipe without --noinput, the question meets the end of input."""
    import io

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", str(archive), stdout=StringIO())


def test_a_restore_whose_files_do_not_fit_changes_nothing(
    transactional_db, settings, tmp_path, small_disk
):
    """The uploads folder is a volume with too little room for the backup's files. Before,
    the database was restored, the folder emptied, and the copy then failed half-way: the
    current files were gone and the backup's only partly there."""
    import os

    settings.MEDIA_ROOT = tmp_path / "big-media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "video.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())

    MunicipalityFactory(name="Nach dem Backup", slug="nach-dem-backup")
    settings.MEDIA_ROOT = small_disk
    (small_disk / "logo.png").write_bytes(b"kept")

    with pytest.raises(CommandError, match="Nothing was restored: .*No space left"):
        call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert sorted(Municipality.objects.values_list("slug", flat=True)) == [
        "kaiserslautern",
        "nach-dem-backup",
    ]
    assert sorted(path.name for path in small_disk.iterdir()) == ["logo.png"]
    assert (small_disk / "logo.png").read_bytes() == b"kept"


def test_a_restore_keeps_no_staging_folder_and_a_backup_takes_none_along(
    transactional_db, media_root, tmp_path
):
    (media_root / "a.txt").write_text("from the backup")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    (media_root / ".ikone-restore").mkdir()  # what a killed restore would leave
    (media_root / ".ikone-restore" / "stale.txt").write_text("stale")

    call_command("backup", str(tmp_path / "second.tar.gz"), stdout=StringIO())
    call_command("restore", str(archive), "--noinput", stdout=StringIO())

    assert "media/a.txt" in archive_names(tmp_path / "second.tar.gz")
    assert "media/.ikone-restore/stale.txt" not in archive_names(tmp_path / "second.tar.gz")

    assert sorted(path.name for path in media_root.iterdir()) == ["a.txt"]


def test_a_broken_archive_is_refused_before_anybody_is_asked(db, tmp_path, monkeypatch):
    """The operator typed 'yes' for an archive that was then found to be no backup."""
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"\x00junk" * 100)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")

    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(archive), stdout=StringIO())

    assert asked == []


def test_the_question_names_the_backup_and_yes_restores_it(
    transactional_db, media_root, tmp_path, monkeypatch
):
    MunicipalityFactory(name="Kaiserslautern", slug="kaiserslautern")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    MunicipalityFactory(name="Nach dem Backup", slug="nach-dem-backup")
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")
    out = StringIO()

    call_command("restore", str(archive), stdout=out)

    (question,) = asked
    assert "with the backup of 20" in question  # the date it was made
    assert out.getvalue().startswith("Restored backup of 20")
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["kaiserslautern"]
