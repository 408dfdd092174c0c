"""The Celery application: worker and beat read their settings from Django's (CELERY_*)."""

import os

import redis
from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikone.settings")


class RedisChannel(kombu_redis.Channel):
    """kombu's Redis channel, but a channel of a closed connection fails as a lost broker.

    Workaround for celery 5.7.0 / kombu 5.7.0 (no fixed release yet). When the broker goes
    away, the consumer cleans up with ``Connection.collect()`` and then ``close()`` (celery
    PR #10242). ``collect()`` detaches the transport (``transport.client = None``) but keeps
    the default channel when closing it failed — and with Redis gone it fails: the channel
    first drains its pending BRPOP. The second close then restores the unacknowledged
    message of the running task (late acks), which builds a connection pool from the
    detached transport: ``AttributeError: 'NoneType' object has no attribute 'hostname'``
    in ``_connparams``. Celery treats only connection errors as recoverable, so the worker
    exits ("Unrecoverable error"). The same happens when the task finishes and acks its
    message on the old channel.

    Raising the Redis ``ConnectionError`` instead is what every one of these paths already
    ignores; the worker reconnects, and the unacknowledged message stays in Redis for the
    visibility timeout (the outbox does not depend on it: the database holds the mail).
    Tested by ``tests/outbox/test_broker_loss.py``; remove when kombu/celery fix it.
    """

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is None or transport.client is None:
            raise redis.exceptions.ConnectionError("the broker connection was closed")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


app = Celery("ikone")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
