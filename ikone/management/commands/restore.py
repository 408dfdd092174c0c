"""``manage.py restore ARCHIVE``: replace database and media with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ikone.backup import BackupError, open_backup


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
        try:
            with open_backup(path) as backup:  # checked before anybody is asked
                description = (
                    f"backup of {backup.manifest.get('created', '?')} "
                    f"({backup.manifest['database']})"
                )
                if interactive and not self.confirmed(description):
                    raise CommandError("Restore cancelled.")
                backup.restore()
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {description}.")

    def confirmed(self, description: str) -> bool:
        try:
            answer = input(
                f"This replaces ALL data and uploaded files with the {description}. Type 'yes': "
            )
        except EOFError:  # no terminal (cron, a pipe): nobody said yes
            return False
        return answer == "yes"
