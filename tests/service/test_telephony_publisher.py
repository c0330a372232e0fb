"""The webhook edge's publisher against the real broker: the message is in a durable queue,
persistent, before publish returns; a broker that cannot be reached is Unavailable."""
import json

import pika
import pytest

from gateway.telephony.publisher import WEBHOOK_QUEUE, WebhookPublisher
from services.shared.errors import Unavailable


def test_a_published_message_waits_persistent_in_the_durable_queue(new_amqp_uri):
    uri = new_amqp_uri()
    publisher = WebhookPublisher(uri)
    try:
        for index in range(3):
            publisher.publish({"message_id": f"m{index}", "request": {"body": "e30="}})
    finally:
        publisher.close()
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        declared = channel.queue_declare(WEBHOOK_QUEUE, durable=True, passive=True)
        assert declared.method.message_count == 3
        method, properties, body = channel.basic_get(WEBHOOK_QUEUE, auto_ack=True)
        assert properties.delivery_mode == 2 and properties.message_id == "m0"
        assert json.loads(body)["message_id"] == "m0"
    finally:
        connection.close()


def test_an_unreachable_broker_is_unavailable():
    publisher = WebhookPublisher("amqp://guest:guest@127.0.0.1:1/", timeout=1)
    with pytest.raises(Unavailable):
        publisher.publish({"message_id": "m1"})
