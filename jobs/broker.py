"""kombu's Redis transport, publishing through one client per channel.

kombu's own transport builds a new redis-py client object for every message it publishes
(`Channel.conn_or_acquire`), and a client's construction fills its table of response
callbacks: 0.2 of the 0.8 ms of CPU that handing an outbox message to Celery took after
each filed report (3 December 2026). The connections were already pooled; the client object now is too,
for as long as the channel keeps the same pool. Chosen in settings for redis:// brokers
only (CELERY_BROKER_TRANSPORT); RabbitMQ keeps kombu's AMQP transport."""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _publisher = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        if self._publisher is None or self._publisher.connection_pool is not pool:
            self._publisher = self._create_client()
        yield self._publisher


class Transport(redis.Transport):
    Channel = Channel
