from django.core.management.base import BaseCommand

from projects import expertise_index


class Command(BaseCommand):
    help = "Recreate the evidence of “Wen fragen?” (projects.ExpertiseItem) from the apps' records."

    def handle(self, *args, **options):
        count = expertise_index.rebuild()
        self.stdout.write(f"Evidence for whom to ask: {count} items.")
