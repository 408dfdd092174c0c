from django.core.management.base import BaseCommand

from ikone import search


class Command(BaseCommand):
    help = "Recreate the portal search index (/suche/) from the apps' records."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="only these kinds (default: all)")

    def handle(self, *args, **options):
        counts = search.rebuild(options["kinds"] or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
