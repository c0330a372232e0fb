"""Webhook messages onto a durable RabbitMQ queue, confirmed before the PBX hears 2xx.

pika with publisher confirms: `basic_publish` returns only after the broker has taken the message
(persistent, into a durable queue, routed: `mandatory`), and raises otherwise. A BlockingConnection
is not thread-safe, so each gunicorn thread borrows one from a small pool; a connection that
failed is closed, and the publish is tried once more on a fresh one (an idle connection may have
been dropped by the broker meanwhile). Anything still failing is `Unavailable` (503): the PBX
retries, and nothing was acknowledged that is not in the queue.
"""
import json
import queue
import threading

import pika
from pika.exceptions import AMQPError

from services.shared.errors import Unavailable

WEBHOOK_QUEUE = "telephony.webhooks"  # consumed by services/telephony/service.py
PERSISTENT = 2


class WebhookPublisher:
    def __init__(self, amqp_uri, size=8, timeout=5):
        self._parameters = pika.URLParameters(amqp_uri)
        self._parameters.socket_timeout = timeout
        self._parameters.blocked_connection_timeout = timeout
        self._parameters.connection_attempts = 1
        self._idle = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._timeout = timeout

    def _open(self):
        connection = pika.BlockingConnection(self._parameters)
        channel = connection.channel()
        channel.confirm_delivery()
        channel.queue_declare(WEBHOOK_QUEUE, durable=True)
        return connection, channel

    def _borrow(self):
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return self._open()

    @staticmethod
    def _close(entry):
        try:
            entry[0].close()
        except Exception:  # the connection is broken already; closing it is best effort
            pass

    def publish(self, message):
        """Return once RabbitMQ has confirmed `message` (a JSON-ready dict) to the queue."""
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        properties = pika.BasicProperties(content_type="application/json",
                                          content_encoding="utf-8", delivery_mode=PERSISTENT,
                                          message_id=message.get("message_id"))
        if not self._slots.acquire(timeout=self._timeout):
            raise Unavailable("Every connection to the message broker is busy; try again.")
        try:
            for attempt in (1, 2):
                entry = None
                try:
                    entry = self._borrow()
                    entry[1].basic_publish("", WEBHOOK_QUEUE, body, properties, mandatory=True)
                except (AMQPError, OSError) as error:
                    if entry is not None:
                        self._close(entry)
                    if attempt == 2:
                        raise Unavailable("The message broker did not take the event "
                                          f"({type(error).__name__}); send it again.") from None
                    continue
                self._idle.put(entry)
                return
        finally:
            self._slots.release()

    def close(self):
        while True:
            try:
                self._close(self._idle.get_nowait())
            except queue.Empty:
                return
