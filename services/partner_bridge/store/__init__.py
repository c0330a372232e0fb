"""The partner_bridge database as one object: what `StoreProvider` hands each worker.

Each part is a small store of its own module (links, correlations, the outbox, what was
received, event ids seen, the order of tickets' changes);
this only opens them over one database and creates all their indexes at start.
"""
from services.partner_bridge.store.correlations import CorrelationStore
from services.partner_bridge.store.links import LinkStore
from services.partner_bridge.store.outbox import OutboxStore
from services.partner_bridge.store.received import ReceivedStore
from services.partner_bridge.store.seen_events import StoredReplayGuard
from services.partner_bridge.store.ticket_order import TicketOrderStore

PARTS = (LinkStore, CorrelationStore, OutboxStore, ReceivedStore, StoredReplayGuard,
         TicketOrderStore)


class Store:
    def __init__(self, db):
        self.links = LinkStore(db)
        self.correlations = CorrelationStore(db)
        self.outbox = OutboxStore(db)
        self.received = ReceivedStore(db)
        self.seen_events = StoredReplayGuard(db)
        self.order = TicketOrderStore(db)

    @staticmethod
    def create_indexes(db):
        for part in PARTS:
            part.create_indexes(db)
