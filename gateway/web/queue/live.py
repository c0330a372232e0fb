"""Live updates of open consoles over server-sent events (issue 14, points 2 and 5).

One consumer per gateway process listens to the services' events on RabbitMQ (an exclusive,
auto-delete queue bound to the tickets and telephony events exchanges, so a stopped process
leaves nothing behind and a running one gets every event once), and fans each out in process to
the open streams it concerns:

- a ticket event (created, changed, commented, SLA warning or breach) becomes `changed` with the
  ticket's id, for every stream of the ticket's account. Nothing of the ticket travels: the page
  re-reads its list through the RPC as the person, who sees only what they may;
- `call_ringing` from telephony becomes `ringing` for the streams of the employees it names.

Resources are bounded per process: at most `max_streams` open streams (each holds one gunicorn
thread for its life), each with a queue of `queue_size` messages (a page that does not read is
dropped from, never grown), a heartbeat comment every `heartbeat` seconds and a life of `lifetime`
seconds, after which the browser reconnects by itself. docs/web.md gives the figures.
"""
import logging
import queue
import threading
import uuid

from kombu import Connection, Queue
from kombu.mixins import ConsumerMixin
from nameko.standalone.events import get_event_exchange

log = logging.getLogger(__name__)

TICKET_EVENTS = ("ticket_created", "ticket_updated", "ticket_status_changed", "ticket_commented",
                 "sla_warning", "sla_breached")
RINGING = "call_ringing"
SOURCES = {"tickets": TICKET_EVENTS, "telephony": (RINGING,)}


def signal_of(event_type, payload):
    """(event name, data, employee ids or None for the whole account) for an event, or None."""
    if event_type == RINGING:
        return "ringing", {"call_id": payload["call_id"], "number": payload.get("number")}, \
            set(payload.get("employee_ids") or ())
    ticket_id = payload.get("ticket_id") or (payload.get("ticket") or {}).get("id")
    return ("changed", {"ticket_id": ticket_id}, None) if ticket_id else None


class Stream:
    """One open page's connection: whose it is and what waits to be sent to it."""

    def __init__(self, account_id, employee_id, queue_size):
        self.account_id, self.employee_id = account_id, employee_id
        self.messages = queue.Queue(maxsize=queue_size)

    def offer(self, message):
        try:
            self.messages.put_nowait(message)
        except queue.Full:
            pass  # a page this far behind re-reads its list anyway; a ring it missed is over

    def next(self, timeout):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None


class Hub:
    """The process's open streams by account, and the consumer that feeds them."""

    def __init__(self, amqp_uri, max_streams, queue_size, consumer_class=None):
        self.amqp_uri, self.max_streams, self.queue_size = amqp_uri, max_streams, queue_size
        self.consumer_class = consumer_class or EventConsumer
        self._lock = threading.Lock()
        self._streams = {}  # account id -> set of Stream
        self._open = 0
        self._consumer = None

    def open(self, account_id, employee_id):
        """A new stream, or None when the process holds `max_streams` already."""
        with self._lock:
            if self._open >= self.max_streams:
                return None
            self._open += 1
            stream = Stream(account_id, employee_id, self.queue_size)
            self._streams.setdefault(account_id, set()).add(stream)
            if self._consumer is None or not self._consumer.is_alive():
                # Started on first use, so in each gunicorn worker after the fork.
                self._consumer = self.consumer_class(self)
                self._consumer.start()
        return stream

    def close(self, stream):
        with self._lock:
            streams = self._streams.get(stream.account_id, set())
            if stream in streams:
                streams.discard(stream)
                self._open -= 1
            if not streams:
                self._streams.pop(stream.account_id, None)

    @property
    def open_streams(self):
        return self._open

    def deliver(self, event_type, payload):
        if not isinstance(payload, dict) or not isinstance(payload.get("account_id"), str):
            return
        signal = signal_of(event_type, payload)
        if signal is None:
            return
        name, data, employees = signal
        with self._lock:
            streams = list(self._streams.get(payload["account_id"], ()))
        for stream in streams:
            if employees is None or stream.employee_id in employees:
                stream.offer((name, data))

    def wait_ready(self, timeout):
        """True once the consumer's queue is bound (a test opens a page, then makes events)."""
        return self._consumer is not None and self._consumer.ready.wait(timeout)


class EventConsumer(ConsumerMixin, threading.Thread):
    def __init__(self, hub):
        threading.Thread.__init__(self, name="live-events", daemon=True)
        self.hub = hub
        self.connection = Connection(hub.amqp_uri)
        self.ready = threading.Event()
        name = f"gateway-live-{uuid.uuid4().hex}"
        bindings = [(get_event_exchange(service, {}), event_type)
                    for service, types in SOURCES.items() for event_type in types]
        self.queues = [Queue(name, exchange=bindings[0][0], routing_key=bindings[0][1],
                             exclusive=True, auto_delete=True)]
        self.bindings = bindings

    def get_consumers(self, Consumer, channel):
        # Declared with every binding (kombu binds a queue to one exchange on declare).
        for exchange, routing_key in self.bindings:
            exchange(channel).declare()
            self.queues[0](channel).declare()
            self.queues[0](channel).bind_to(exchange, routing_key)
        return [Consumer(queues=self.queues, callbacks=[self.on_message], accept=["json"])]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.ready.set()

    def on_connection_error(self, exc, interval):
        self.ready.clear()
        log.warning("live events: broker unreachable, retrying in %ss", interval)

    def on_message(self, body, message):
        try:
            self.hub.deliver(message.delivery_info.get("routing_key"), body)
        finally:
            message.ack()
