"""Run several calls at once, each on its own database connection, for the race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def race(targets: list[Callable], *, refused: type[Exception]) -> list[tuple[str, object]]:
    """Start ``targets`` together (a barrier) in threads and return each one's outcome:
    ``("ok", result)``, ``("refused", message)`` for the service's ``refused`` error, or
    ``("error", repr)`` for anything else (a 500 in a view: the bug a test must show)."""
    barrier = threading.Barrier(len(targets))
    outcomes = []
    lock = threading.Lock()

    def run(target):
        try:
            barrier.wait(timeout=30)
            outcome = ("ok", target())
        except refused as error:
            outcome = ("refused", str(error))
        except Exception as error:
            outcome = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
