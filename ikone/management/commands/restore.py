"""``manage.py restore ARCHIVE``: replace database and media with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ikone.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database and all uploaded files with the content of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", default=True
        )

    def handle(self, *args, archive, interactive, **options):
        path = Path(archive)
        if path.is_dir():
            raise CommandError(f"{path} is not a file but a folder: name the archive itself.")
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        if interactive:
            try:
                answer = input(
                    "This replaces ALL data and uploaded files with the backup. Type 'yes': "
                )
            except EOFError:  # no terminal (cron, a pipe): nobody said yes
                answer = ""
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(source=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        created = manifest.get("created", "?")
        self.stdout.write(f"Restored backup of {created} ({manifest['database']}).")
