"""One archive with the database and the uploaded files, and the way back.

The archive (``.tar.gz``) holds ``manifest.json``, the database (``database.dump`` from
``pg_dump --format=custom`` on PostgreSQL, ``database.sqlite3`` from SQLite's online backup
API), ``media/`` (public uploads, ``MEDIA_ROOT``) and ``private/`` (application letters,
circular attachments, slides: ``PRIVATE_MEDIA_ROOT``). Both database dumps are consistent
snapshots taken while the portal keeps running. Files are copied after the database: an
upload is stored before the row that names it, so every file the dump refers to is in the
archive (at worst a few newer, unreferenced files come along).

Format 1 archives (before private uploads had a folder of their own) restore as well: their
private files are in ``media/`` where that database expects them, and the next ``migrate``
moves them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
# folder in the archive -> setting naming the folder on disk
FOLDERS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
# database vendor -> the dump's name in the archive
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
STAGING = ".ikone-restore"  # inside each folder: the restored files wait here for the swap


class BackupError(Exception):
    pass


def _pg_args(db: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(alias: str, target_dir: Path) -> str:
    connection = connections[alias]
    vendor = connection.vendor
    if vendor == "postgresql":
        db = connection.settings_dict
        args, env = _pg_args(db)
        path = target_dir / DATABASE_FILES[vendor]
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(path), db["NAME"]],
            env,
        )
        return vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target_dir / DATABASE_FILES[vendor])
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return vendor
    raise BackupError(f"Backups of {vendor} databases are not supported.")


def _restore_database(alias: str, source_dir: Path, vendor: str) -> None:
    connection = connections[alias]
    if connection.vendor != vendor:
        raise BackupError(
            f"The archive holds a {vendor} database, this portal runs on {connection.vendor}."
        )
    if vendor == "postgresql":
        db = connection.settings_dict
        connection.close()  # hold no locks while pg_restore drops and recreates tables
        args, env = _pg_args(db)
        _run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                db["NAME"],
                str(source_dir / DATABASE_FILES[vendor]),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(source_dir / DATABASE_FILES[vendor])
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _without_staging(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if STAGING in Path(member.name).parts[1:2] else member


def create_backup(*, target: Path, alias: str = "default") -> Path:
    """Write the archive to ``target`` (a file, or a folder for a dated file name)."""
    target = Path(target)
    if target.is_dir() or str(target).endswith(os.sep):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        target = target / f"ikone-backup-{stamp}.tar.gz"
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return _write_archive(target, partial, alias)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # a disk that filled up keeps no half archive
        raise BackupError(f"Cannot write the backup to {target}: {error}") from error


def _write_archive(target: Path, partial: Path, alias: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="ikone-backup-") as tmp:
        tmp_dir = Path(tmp)
        vendor = _dump_database(alias, tmp_dir)
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "database": vendor,
        }
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(tmp_dir / "manifest.json", arcname="manifest.json")
            archive.add(tmp_dir / DATABASE_FILES[vendor], arcname=DATABASE_FILES[vendor])
            for arcname, setting in FOLDERS.items():
                root = Path(getattr(settings, setting))
                if root.exists():  # without what a killed restore may have left staged
                    archive.add(root, arcname=arcname, filter=_without_staging)
        partial.rename(target)  # never a half-written archive under the final name
    target.chmod(0o600)
    return target


def _stage_folder(root: Path, restored: Path) -> Path:
    """Copy the restored files into a staging folder *inside* ``root`` (the same file system,
    often a mounted volume), where a full disk shows before anything is deleted."""
    root.mkdir(parents=True, exist_ok=True)
    staging = root / STAGING
    if staging.exists():  # left by a restore that was killed
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        if restored.exists():
            for child in restored.iterdir():
                shutil.move(str(child), staging / child.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _swap_folder(root: Path, staging: Path) -> None:
    """Replace the content of ``root`` with the staged files: deletions and renames within
    one file system, no copying."""
    for child in root.iterdir():
        if child == staging:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staging.iterdir():
        child.rename(root / child.name)
    staging.rmdir()


def _check_sqlite(path: Path) -> None:
    """The file must be a SQLite database this portal migrated, not any database."""
    try:
        database = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            (migrated,) = database.execute(
                "SELECT count(*) FROM django_migrations WHERE app = 'members'"
            ).fetchone()
        finally:
            database.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The archive's database.sqlite3 is not readable ({error}).") from error
    if not migrated:
        raise BackupError("The archive's database.sqlite3 is not a database of this portal.")


def _check_pg_dump(path: Path) -> None:
    """The file must be a pg_dump archive of this portal's tables."""
    result = subprocess.run(  # noqa: S603
        ["pg_restore", "--list", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"The archive's database.dump is not readable: {result.stderr.strip()}")
    if not re.search(r"^\d+; .* TABLE \S+ django_migrations\b", result.stdout, re.MULTILINE):
        raise BackupError("The archive's database.dump is not a database of this portal.")


def _read_archive(source: Path, into: Path) -> dict:
    """Unpack ``source`` into ``into`` and check it is a whole backup of this portal; nothing
    of the running portal is touched before this has passed."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(into, filter="data")  # refuses absolute paths and links out
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{source} is not a readable backup archive ({error}).") from error
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except FileNotFoundError as error:
        raise BackupError(
            f"{source} has no manifest.json: it was not written by `manage.py backup`."
        ) from error
    except (OSError, ValueError) as error:
        raise BackupError(f"The manifest.json of {source} is not readable ({error}).") from error
    if not isinstance(manifest, dict):
        raise BackupError(f"The manifest.json of {source} is not a manifest of a backup.")
    if manifest.get("format") not in READABLE_FORMATS:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    vendor = manifest.get("database")
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Unknown database {vendor!r} in the manifest of {source}.")
    database = into / DATABASE_FILES[vendor]
    if not database.is_file():
        raise BackupError(f"{source} holds no {DATABASE_FILES[vendor]}: nothing was restored.")
    if vendor == "sqlite":
        _check_sqlite(database)
    else:
        _check_pg_dump(database)
    return manifest


@dataclass(frozen=True)
class OpenedBackup:
    """An archive unpacked into ``folder`` and checked (:func:`open_backup`)."""

    manifest: dict
    folder: Path

    def restore(self, *, alias: str = "default") -> dict:
        """Replace the database, the media and the private folder with the archive's content.

        The files are staged inside their folders first, and only when that and the
        database have succeeded are the old files replaced; a disk too small for the
        backup's files changes nothing."""
        roots = {arcname: Path(getattr(settings, setting)) for arcname, setting in FOLDERS.items()}
        staged: list[Path] = []
        try:
            for arcname, root in roots.items():
                staged.append(_stage_folder(root, self.folder / arcname))
            _restore_database(alias, self.folder, self.manifest["database"])
        except BaseException as error:
            for staging in staged:
                shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, OSError):
                raise BackupError(f"Nothing was restored: {error}") from error
            raise
        for root, staging in zip(roots.values(), staged, strict=True):
            _swap_folder(root, staging)
        return self.manifest


@contextlib.contextmanager
def open_backup(source: Path) -> Iterator[OpenedBackup]:
    """Unpack and check the archive (:func:`_read_archive`) before anything is asked or
    replaced; a broken, partial or foreign archive raises :class:`BackupError`."""
    with tempfile.TemporaryDirectory(prefix="ikone-restore-") as tmp:
        folder = Path(tmp)
        yield OpenedBackup(manifest=_read_archive(Path(source), folder), folder=folder)
