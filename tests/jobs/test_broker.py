"""The Redis transport of jobs/broker.py: messages published through one client per
channel arrive, in order, and a channel given a new pool publishes through a new client."""

import base64
import json
import uuid

import redis
from kombu import Connection, Exchange, Producer

from jobs.broker import Channel

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_published_messages_arrive_through_one_client_per_pool():
    queue = f"komin-test-broker-{uuid.uuid4().hex[:8]}"
    raw = redis.Redis.from_url(REDIS_URL)
    try:
        with Connection(REDIS_URL, transport="jobs.broker:Transport") as connection:
            channel = connection.channel()
            assert isinstance(channel, Channel)
            producer = Producer(channel, exchange=Exchange("", type="direct"))
            producer.publish({"n": 1}, routing_key=queue, serializer="json")
            first = channel._publisher
            producer.publish({"n": 2}, routing_key=queue, serializer="json")
            assert channel._publisher is first  # the same client, not one per message

            channel._pool = None  # as kombu does when it drops its connections
            producer.publish({"n": 3}, routing_key=queue, serializer="json")
            assert channel._publisher is not first
            assert channel._publisher.connection_pool is channel.pool

        messages = [json.loads(m) for m in reversed(raw.lrange(queue, 0, -1))]
        assert {m["properties"]["body_encoding"] for m in messages} == {"base64"}
        bodies = [json.loads(base64.b64decode(m["body"])) for m in messages]
        assert bodies == [{"n": 1}, {"n": 2}, {"n": 3}]
    finally:
        raw.delete(queue)
