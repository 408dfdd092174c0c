"""A worker killed mid-batch: with the default settings its mail is out within a minute.

Real processes throughout — two workers as in docker-compose.yml, a beat with the project's
schedule, PostgreSQL, Redis and aiosmtpd — and no setting of the claim or sweep changed.
"""

import pytest

from circulars.services import sending as sending_services
from tests.circulars.factories import CircularFactory
from tests.factories import CoordinatorFactory
from tests.outbox.recovery import kill_one_mid_batch_and_recover
from tests.outbox.test_worker_delivery import _all_done, _contacts, _wait_until
from tests.services import COMPOSE_WORKER_ARGS, BeatProcess, worker_env


@pytest.fixture
def beat(transactional_db, postgres, redis_url):
    process = BeatProcess(env=worker_env()).start()
    yield process
    process.stop()


def test_mail_of_a_killed_worker_is_delivered_within_a_minute_with_one_duplicate_at_most(
    worker_factory, smtp_server, beat, settings
):
    recorder, port = smtp_server
    # Only the sending speed is set (so that the kill lands in the middle of a batch).
    env = {"smtp_port": port, "args": COMPOSE_WORKER_ARGS, "IKONE_OUTBOX_RATE_LIMIT": "50"}
    workers = (worker_factory(name="first", **env), worker_factory(name="second", **env))
    circular = CircularFactory()

    def send() -> int:
        _contacts(600)
        sending_services.send_circular(circular=circular, by=CoordinatorFactory())
        return 600

    result = kill_one_mid_batch_and_recover(
        recorder=recorder, workers=workers, send=send, timeout=90
    )

    print(
        f"\nrecovery after kill -9: {result.seconds}s, {result.delivered_at_kill} of "
        f"{result.recipients} delivered at the kill, {result.duplicates} duplicate(s)"
    )
    assert settings.IKONE_OUTBOX_CLAIM_SECONDS == 30
    assert result.missing == 0, result
    assert result.seconds < 60, result
    assert result.duplicates <= 1, result
    survivor = next(worker for worker in workers if worker is not result.victim)
    assert survivor.alive()
    _wait_until(lambda: _all_done(circular.reference), timeout=30, what="all rows recorded")
