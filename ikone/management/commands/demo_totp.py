"""Print the current TOTP code of the demo coordinator (demo data only)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints the current second-factor code of the demo coordinator."

    def handle(self, *args, **options):
        from members.demo import current_totp_code

        self.stdout.write(current_totp_code())
