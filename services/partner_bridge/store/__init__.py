"""The partner_bridge database as one object: what `StoreProvider` hands each worker.

Each part is a small store of its own module (links, correlations, the outbox, what was
received, event ids seen, the order of tickets' changes);
this only opens them over one database and creates all their indexes at start.
"""
from services.shared.audit_trail import AuditTrail
from services.partner_bridge.store.correlations import CorrelationStore
from services.partner_bridge.store.links import LinkStore
from services.partner_bridge.store.outbox import OutboxStore
from services.partner_bridge.store.received import ReceivedStore
from services.partner_bridge.store.seen_events import StoredReplayGuard
from services.partner_bridge.store.ticket_order import TicketOrderStore
from services.shared.storage import PartedStore


class Store(PartedStore):
    PARTS = {"links": LinkStore, "correlations": CorrelationStore, "outbox": OutboxStore,
             "received": ReceivedStore, "seen_events": StoredReplayGuard,
             "order": TicketOrderStore, "audit": AuditTrail}
