"""``runserver`` for the embedded mode, with the periodic work of beat running beside it.

``make demo`` and ``make run`` use it. Without a broker (no ``REDIS_URL``) it starts the
embedded scheduler (``ikone.scheduler``), so scheduled posts appear, reminders and
scheduled circulars go out and the outbox is swept as they would with ``celery beat``.
Unless ``SITE_URL`` is set, links in mail point at the address this server listens on.
"""

import os

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunServer

from ikone.scheduler import EmbeddedScheduler


class Command(RunServer):
    help = "Development server; in the embedded mode with the beat schedule running beside it."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="use_scheduler",
            help="Do not run the periodic tasks in this process.",
        )

    def served_url(self) -> str:
        """The address this server listens on, as links in mail should name it."""
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        return f"{self.protocol}://{host}:{self.port}"

    def inner_run(self, *args, **options):
        # The reloader runs this in its child process only, once per (re)start.
        if not os.environ.get("SITE_URL"):
            settings.SITE_URL = self.served_url()
        self.stdout.write(f"Links in e-mails point at {settings.SITE_URL}")
        if options.get("use_scheduler", True) and settings.CELERY_TASK_ALWAYS_EAGER:
            EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE).start()
            self.stdout.write("Periodic tasks run in this process (embedded mode).")
        super().inner_run(*args, **options)
