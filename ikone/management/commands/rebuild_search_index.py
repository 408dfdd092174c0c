from django.core.management.base import BaseCommand, CommandError

from ikone import search


class Command(BaseCommand):
    help = "Recreate the portal search index (/suche/) from the apps' records."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="only these kinds (default: all)")

    def handle(self, *args, **options):
        kinds = options["kinds"]
        known = [source.kind for source in search.sources()]
        unknown = sorted(set(kinds) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown kind {', '.join(unknown)}; the index has: {', '.join(known)}."
            )
        counts = search.rebuild(kinds or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
