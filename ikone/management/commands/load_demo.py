"""Load realistic demo data (idempotent): ``python manage.py load_demo``."""

from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from ikone import search

# Each app may offer ``<app>.demo.load(stdout=..., base=...)``; members comes first, the
# catalogue next (the demo talks and posts name its profiles).
DEMO_APPS = ["members", "projects", "circulars", "meetings", "news", "surveys"]


class Command(BaseCommand):
    help = "Loads the demo network: municipalities, contacts, accounts and content."

    def handle(self, *args, **options):
        from members import demo as members_demo

        with transaction.atomic():
            base = members_demo.load(stdout=self.stdout)
            for app in DEMO_APPS[1:]:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(stdout=self.stdout, base=base)
            # The demo data may be written with update() or bulk_create (no signals).
            counts = search.rebuild()
            # the evidence of "Wen fragen?" likewise (by name: the catalogue's own command)
            call_command("rebuild_expertise_index", stdout=self.stdout)
        self.stdout.write(f"Search index: {sum(counts.values())} documents.")

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write("  Portal:       http://127.0.0.1:8000/")
        self.stdout.write(
            f"  Coordinator:  {members_demo.COORDINATOR_EMAIL} / {members_demo.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"                second factor: TOTP secret {members_demo.DEMO_TOTP_SECRET}"
            " (current code: `make totp`)"
        )
        self.stdout.write(
            f"  Member:       {members_demo.MEMBER_EMAIL} / {members_demo.DEMO_PASSWORD}"
        )
        self.stdout.write("")
