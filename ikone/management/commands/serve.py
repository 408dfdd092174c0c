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

    def inner_run(self, *args, **options):
        # The reloader runs this in its child process only, once per (re)start.
        if not os.environ.get("SITE_URL"):
            host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            settings.SITE_URL = f"{self.protocol}://{host}:{self.port}"
        if options.get("use_scheduler", True) and settings.CELERY_TASK_ALWAYS_EAGER:
            EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE).start()
            self.stdout.write("Periodic tasks run in this process (embedded mode).")
        super().inner_run(*args, **options)
