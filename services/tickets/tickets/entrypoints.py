"""Tickets: create, read, list, change, move, comment."""
from nameko.rpc import rpc
from nameko.timer import timer

from services.shared.errors import EXPECTED, NotFound
from services.shared.events import announce
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.metrics import STATUS_CHANGES, TICKETS_CREATED
from services.tickets.schemas import (CommentCreateSchema, StatusChangeSchema, TicketCreateSchema,
                                      TicketListQuerySchema, TicketUpdateSchema)
from services.tickets.tickets import presentation, registration
from services.tickets.tickets.search import searched
from services.tickets.tickets.references import check_references

OUTBOX_RELAY_SECONDS = 2
MAX_NUMBER = 2 ** 53  # beyond what any store keeps as an integer: such a number cannot exist
CREATE, UPDATE, LIST_QUERY = TicketCreateSchema(), TicketUpdateSchema(), TicketListQuerySchema()
STATUS_CHANGE, COMMENT_CREATE = StatusChangeSchema(), CommentCreateSchema()


class TicketEntrypoints(Guard):
    def _announce(self, ticket):
        announce(self.store.tickets.publish_pending, self.dispatch, ticket, self.name)

    def _shown(self, actor, ticket):
        return presentation.ticket(actor, ticket, self.store.tickets.sla_views([ticket])[0])

    @rpc(expected_exceptions=EXPECTED)
    def create_ticket(self, actor, data):
        actor = self.authorized(actor, "tickets.create")
        data = registration.prepare(self.store, actor, load(CREATE, data))
        ticket = self.store.tickets.create(actor, data)
        self._announce(ticket)
        TICKETS_CREATED.labels(ticket["channel"]).inc()
        return self._shown(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def get_ticket(self, actor, ticket_id):
        actor = self.authorized(actor, "tickets.read")
        return self._shown(actor, self.store.tickets.get(actor, str(ticket_id)))

    @rpc(expected_exceptions=EXPECTED)
    def get_ticket_by_number(self, actor, number):
        actor = self.authorized(actor, "tickets.read")
        number = int(number)
        if not 0 < number < MAX_NUMBER:
            raise NotFound(f"No ticket number {number}.")
        return self._shown(actor, self.store.tickets.get_by_number(actor, number))

    @rpc(expected_exceptions=EXPECTED)
    def list_tickets(self, actor, query):
        actor = self.authorized(actor, "tickets.read")
        docs, next_cursor = self.store.tickets.list(
            actor, searched(self.store, actor.account_id, load(LIST_QUERY, query)))
        return {"items": presentation.summaries(actor, docs, self.store.tickets.sla_views(docs)),
                "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def update_ticket(self, actor, ticket_id, changes):
        actor = self.authorized(actor, "tickets.update")
        changes = load(UPDATE, changes)
        current = self.store.tickets.get(actor, str(ticket_id))
        changes = check_references(self.store, actor.account_id, changes, current)
        level = None
        if "client_id" in changes and changes["client_id"] != current.get("client_id"):
            # The SLA follows the contract that covers the request for the new client; the
            # coverage verdict stays the one given at registration.
            found = registration.assess(self.store, actor.account_id, changes["client_id"],
                                        current.get("site_id"), current.get("equipment_id")) or {}
            level = (found.get("service_level_id"), found.get("contract_id"))
        ticket = self.store.tickets.update(actor, current["_id"], changes, level)
        self._announce(ticket)
        return self._shown(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def change_status(self, actor, ticket_id, data):
        actor = self.authorized(actor, "tickets.change_status")
        data = load(STATUS_CHANGE, data)
        ticket = self.store.tickets.change_status(actor, str(ticket_id), data["status"],
                                                  data["comment"])
        self._announce(ticket)
        STATUS_CHANGES.labels(ticket["status"]).inc()
        return self._shown(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def add_comment(self, actor, ticket_id, data):
        actor = self.authorized(actor, "tickets.comment")
        data = load(COMMENT_CREATE, data)
        ticket, comment = self.store.tickets.comment(actor, str(ticket_id), data["body"],
                                                     data["visibility"])
        self._announce(ticket)
        return presentation.comment(comment)

    @rpc(expected_exceptions=EXPECTED)
    def authenticated_echo(self, actor, payload):
        """The latency floor of an authenticated request (the gateway's diagnostics echo)."""
        self.actor_of(actor)
        return payload

    @timer(interval=OUTBOX_RELAY_SECONDS)
    def relay_outbox(self):
        self.store.tickets.relay(self.dispatch, self.name)
