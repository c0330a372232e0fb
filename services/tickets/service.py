"""The tickets service: entrypoints only, each translating to one store call."""
from nameko.events import EventDispatcher
from nameko.rpc import rpc
from nameko.timer import timer

from services.shared.actor import Actor
from services.shared.errors import EXPECTED
from services.shared import health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider
from services.shared.validation import load
from services.tickets import presentation
from services.tickets.metrics import STATUS_CHANGES, TICKETS_CREATED
from services.tickets.schemas import (CommentCreateSchema, StatusChangeSchema, TicketCreateSchema,
                                      TicketListQuerySchema, TicketUpdateSchema)
from services.tickets.store import TicketStore

OUTBOX_RELAY_SECONDS = 2
CREATE, UPDATE, LIST_QUERY = TicketCreateSchema(), TicketUpdateSchema(), TicketListQuerySchema()
STATUS_CHANGE, COMMENT_CREATE = StatusChangeSchema(), CommentCreateSchema()


class TicketsService(health.HealthEntrypoints):
    name = "tickets"

    store = StoreProvider("tickets", TicketStore)
    dispatch = EventDispatcher()
    metrics = ServiceMetrics(default_port=9101)

    def _announce(self, ticket):
        self.store.publish_pending(self.dispatch, ticket, self.name)

    @rpc(expected_exceptions=EXPECTED)
    def create_ticket(self, actor, data):
        actor = Actor.from_dict(actor)
        ticket = self.store.create(actor, load(CREATE, data))
        self._announce(ticket)
        TICKETS_CREATED.labels(ticket["channel"]).inc()
        return presentation.ticket(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def get_ticket(self, actor, ticket_id):
        actor = Actor.from_dict(actor)
        return presentation.ticket(actor, self.store.get(actor, str(ticket_id)))

    @rpc(expected_exceptions=EXPECTED)
    def get_ticket_by_number(self, actor, number):
        actor = Actor.from_dict(actor)
        return presentation.ticket(actor, self.store.get_by_number(actor, int(number)))

    @rpc(expected_exceptions=EXPECTED)
    def list_tickets(self, actor, query):
        actor = Actor.from_dict(actor)
        docs, next_cursor = self.store.list(actor, load(LIST_QUERY, query))
        return {"items": presentation.summaries(actor, docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def update_ticket(self, actor, ticket_id, changes):
        actor = Actor.from_dict(actor)
        ticket = self.store.update(actor, str(ticket_id), load(UPDATE, changes))
        return presentation.ticket(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def change_status(self, actor, ticket_id, data):
        actor = Actor.from_dict(actor)
        data = load(STATUS_CHANGE, data)
        ticket = self.store.change_status(actor, str(ticket_id), data["status"], data["comment"])
        self._announce(ticket)
        STATUS_CHANGES.labels(ticket["status"]).inc()
        return presentation.ticket(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def add_comment(self, actor, ticket_id, data):
        actor = Actor.from_dict(actor)
        data = load(COMMENT_CREATE, data)
        ticket, comment = self.store.add_comment(actor, str(ticket_id), data["body"],
                                                 data["visibility"])
        return presentation.comment(comment)

    @timer(interval=OUTBOX_RELAY_SECONDS)
    def relay_outbox(self):
        self.store.relay(self.dispatch, self.name)
