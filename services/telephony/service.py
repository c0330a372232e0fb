"""The telephony service: PBX integrations, calls from the webhook queue, and what calls do to
tickets. Entrypoints live in entrypoints/, one mixin per domain; the consumer and the timers
are here, each delegating to delivery.py."""
import logging

import eventlet
from kombu import Queue
from nameko.events import EventDispatcher
from nameko.messaging import consume
from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.shared import audit_trail, dead_letter_entrypoints, health
from services.shared.clock import utcnow
from services.shared.dead_letters import replays
from services.shared.events import Inbox
from services.shared.logs import LogContext
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider
from services.telephony import delivery
from services.telephony.entrypoints import calls, integrations
from services.telephony.metrics import WEBHOOK_MESSAGES
from services.telephony.store import Store
from services.telephony.tickets_client import TicketsClient

WEBHOOK_QUEUE = "telephony.webhooks"  # the gateway declares it the same way (durable, default exchange)
MAX_ATTEMPTS = 5
PENDING_RETRY_SECONDS = 5
QUIET_SWEEP_SECONDS = 30

log = logging.getLogger(__name__)


class TelephonyService(health.HealthEntrypoints, integrations.IntegrationEntrypoints,
                       calls.CallEntrypoints,
                       audit_trail.AuditEntrypoints,
                       dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "telephony"

    store = StoreProvider("telephony", Store)
    inbox = Inbox("telephony")
    tickets_rpc = RpcProxy("tickets")
    metrics = ServiceMetrics(default_port=9103)
    log_context = LogContext()  # the gateway's request id on every log line
    dispatch = EventDispatcher()  # call_ringing, from the calls' outbox (ringing.py)

    @property
    def tickets(self):
        return TicketsClient(self.tickets_rpc)

    @consume(Queue(WEBHOOK_QUEUE, durable=True), requeue_on_error=True)
    def receive_webhook(self, message):
        """Acknowledged when the handler returns: after the calls are stored."""
        key = f"webhook.{message.get('message_id')}" if isinstance(message, dict) else None
        try:
            received = delivery.receive(self.store, self.tickets, message)
        except delivery.Refused as refusal:
            self._bury(key, message, str(refusal))
            return
        except Exception as error:
            attempts = self.inbox.fail(key)
            if attempts >= MAX_ATTEMPTS:
                log.exception("webhook message dead-lettered", extra={"message_key": key})
                self._bury(key, message, repr(error))
                return
            WEBHOOK_MESSAGES.labels(_vendor(message), "retry").inc()
            # A requeued message comes back at once: pause so that retries are spread out.
            eventlet.sleep(min(0.2 * 2 ** attempts, 5))
            raise
        WEBHOOK_MESSAGES.labels(received.vendor, received.outcome).inc()
        self.store.calls.publish_pending(self.dispatch, message["account_id"], self.name)

    # The raw request is what the vendor signed (Mango's form carries its API key): never shown.
    @replays(delivery.SOURCE, delivery.KIND, hidden=("request.body",))
    def replay_webhook(self, message):
        delivery.receive(self.store, self.tickets, message)

    def _bury(self, key, message, reason):
        log.warning("webhook message refused", extra={"message_key": key, "reason": reason})
        self.inbox.bury(key or f"webhook.unreadable.{utcnow().timestamp()}", delivery.SOURCE,
                        delivery.KIND, message, reason)
        WEBHOOK_MESSAGES.labels(_vendor(message), "dead").inc()

    @timer(interval=PENDING_RETRY_SECONDS)
    def retry_pending_calls(self):
        delivery.retry_pending(self.store, self.tickets)

    @timer(interval=PENDING_RETRY_SECONDS)
    def relay_outbox(self):
        self.store.calls.relay(self.dispatch, self.name)

    @timer(interval=QUIET_SWEEP_SECONDS)
    def settle_quiet_calls(self):
        delivery.sweep_quiet_calls(self.store, self.tickets, utcnow())


def _vendor(message):
    vendor = message.get("dialect") if isinstance(message, dict) else None
    return vendor if isinstance(vendor, str) and len(vendor) < 20 else "unknown"
