"""Redis killed while a worker delivers a batch, then started again on the same port.

The worker runs as in docker-compose.yml (prefork pool, gossip, mingle, heartbeat): the
consumer notices the lost broker while a child process is still sending, with the task's
message unacknowledged (late acks). Nothing restarts the worker here — no supervisor, no
``restart:`` policy — so mail sent after Redis is back only arrives if the same worker process
reconnected by itself.
"""

import time
from collections import Counter

from circulars.services import sending as sending_services
from ikone.celery import app as celery_app
from ikone.outbox import services as outbox
from tests.circulars.factories import CircularFactory
from tests.factories import CoordinatorFactory
from tests.outbox.test_worker_delivery import _all_done, _contacts, _is_sent, _wait_until
from tests.services import COMPOSE_WORKER_ARGS


def test_worker_survives_redis_killed_mid_batch_and_delivers_mail_sent_afterwards(
    fault_redis, worker_factory, smtp_server
):
    recorder, port = smtp_server
    worker = worker_factory(
        args=COMPOSE_WORKER_ARGS,
        smtp_port=port,
        name="brokerloss",
        CELERY_BROKER_URL=fault_redis.url,
        # slow enough that Redis goes away in the middle of the batch
        IKONE_OUTBOX_RATE_LIMIT="40",
    )
    pid = worker.pid
    _contacts(200)
    circular = sending_services.send_circular(circular=CircularFactory(), by=CoordinatorFactory())
    recorder.wait_for(20, timeout=60)
    fault_redis.kill()
    assert len(recorder.recipients()) < 200, "the batch was over before Redis went away"
    # The consumer sees its BRPOP connection closed at once and starts reconnecting, while
    # the child process goes on sending from the database.
    _wait_until(lambda: "Connection to broker lost" in worker.log(), timeout=30, what="loss")
    time.sleep(2)
    fault_redis.start()

    recorder.wait_for(200, timeout=60)
    _wait_until(lambda: _all_done(circular.reference), timeout=60, what="the batch recorded")
    late = outbox.queue_rendered(to="danach@example.org", subject="Nach dem Ausfall", text="t")

    received = recorder.wait_for(201, timeout=90)
    log = worker.log()
    assert "Unrecoverable error" not in log, log[-4000:]
    assert worker.alive() and worker.pid == pid, "the worker exited:\n" + log[-4000:]
    assert "danach@example.org" in received, "mail sent after the outage was not delivered"
    _wait_until(lambda: _is_sent(late), timeout=30, what="the late mail marked sent")
    counts = Counter(received)
    assert len(counts) == 201
    assert max(counts.values()) == 1

    # ... and answers the health check of docker-compose.yml (celery inspect ping, which
    # Docker repeats): the worker's control channel reconnects to Redis on its own schedule,
    # after the task consumer, so the first ping after the outage may go unanswered.
    def answers_ping() -> bool:
        reply = celery_app.control.inspect(destination=[worker.nodename], timeout=5).ping()
        return reply == {worker.nodename: {"ok": "pong"}}

    _wait_until(answers_ping, timeout=60, what="the worker's answer to celery inspect ping")
