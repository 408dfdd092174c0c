"""``manage.py backup [TARGET]``: one consistent archive of database and media."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ikone.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write one archive (.tar.gz) with the database and all uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            nargs="?",
            default=str(settings.IKONE_BACKUP_DIR),
            help="Archive file or folder (default: IKONE_BACKUP_DIR).",
        )

    def handle(self, *args, target, **options):
        try:
            path = create_backup(target=Path(target))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
