"""Tickets as partner_bridge changes and reads them when it federates with a partner.

partner_bridge calls these as the partner link (`{"kind": "partner_link", "id": <link>,
"account_id": ...}`) when it applies a partner's change, so that the events announcing the
change name the link in `changed_by` / `author` / `origin` and the bridge does not send it back;
and as the system (`{"kind": "system", "id": "partner_bridge"}`) when it reads a ticket to
share. Employees and contacts never reach these: their own entrypoints stay the only way in.
"""
from nameko.rpc import rpc
from services.shared.actor import Actor
from services.shared.errors import EXPECTED, Forbidden
from services.shared.events import announce
from services.shared.validation import load
from services.tickets.metrics import STATUS_CHANGES, TICKETS_CREATED
from services.tickets.permissions import require
from services.tickets.schemas import (CommentSchema, PartnerCommentSchema, PartnerTicketSchema,
                                      StatusChangeSchema, TicketUpdateSchema)
from services.tickets.tickets import federation

STATUS_CHANGE = StatusChangeSchema()
# A partner's edit carries only what a sharing rule can: anything else is refused (422).
PARTNER_EDIT = TicketUpdateSchema(only=("title", "description", "priority"))
PARTNER_TICKET, PARTNER_COMMENT, COMMENT = PartnerTicketSchema(), PartnerCommentSchema(), CommentSchema()
BRIDGE_KINDS = ("partner_link", "system")


def bridge_actor(actor):
    actor = Actor.from_dict(actor)
    if actor.kind not in BRIDGE_KINDS:
        raise Forbidden("Only the partner bridge makes federation calls.")
    return actor


class FederationEntrypoints:
    def _announce_federated(self, ticket):
        announce(self.store.tickets.publish_pending, self.dispatch, ticket, self.name)

    @rpc(expected_exceptions=EXPECTED)
    def partner_create_ticket(self, actor, data):
        """Open the ticket a partner shared, once per `idempotency_key`; returns {"id", "number",
        "revision"}: the revision from which the bridge hears of the ticket's changes."""
        actor = bridge_actor(actor)
        request = load(PARTNER_TICKET, data)
        found, created = federation.open_shared(self.store, actor, request["ticket"],
                                                request["idempotency_key"])
        if created:
            self._announce_federated(found)
            TICKETS_CREATED.labels(found["channel"]).inc()
        return {"id": found["_id"], "number": found["number"],
                "revision": found.get("revision") or 0}

    @rpc(expected_exceptions=EXPECTED)
    def partner_ticket_status(self, actor, ticket_id):
        actor = bridge_actor(actor)
        return self.store.tickets.get(actor, str(ticket_id))["status"]

    @rpc(expected_exceptions=EXPECTED)
    def partner_change_status(self, actor, ticket_id, data):
        """A partner's status applied here; Conflict (with `allowed`) when our workflow forbids it."""
        actor = bridge_actor(actor)
        data = load(STATUS_CHANGE, data)
        ticket = self.store.tickets.change_status(actor, str(ticket_id), data["status"],
                                                  data["comment"])
        self._announce_federated(ticket)
        STATUS_CHANGES.labels(ticket["status"]).inc()
        return {"id": ticket["_id"], "status": ticket["status"]}

    @rpc(expected_exceptions=EXPECTED)
    def partner_add_comment(self, actor, ticket_id, data):
        """A partner's public comment, signed with its author's name; a retry with the same
        origin adds nothing and answers None."""
        actor = bridge_actor(actor)
        data = load(PARTNER_COMMENT, data)
        ticket, comment = self.store.tickets.comment(
            actor, str(ticket_id), data["body"], "public", author_name=data["author_name"],
            origin=data["origin"])
        if ticket is None:
            return None
        self._announce_federated(ticket)
        return COMMENT.dump(comment)

    @rpc(expected_exceptions=EXPECTED)
    def partner_update_ticket(self, actor, ticket_id, changes):
        """A partner's later edit of title, description or priority; setting what is there
        already changes nothing and announces nothing."""
        actor = bridge_actor(actor)
        ticket = self.store.tickets.update(actor, str(ticket_id), load(PARTNER_EDIT, changes))
        self._announce_federated(ticket)
        return {"id": ticket["_id"], "revision": ticket.get("revision") or 0}

    @rpc(expected_exceptions=EXPECTED)
    def partner_ticket_view(self, actor, ticket_id):
        """A ticket as sharing rules read it. An employee reads only what they may read (the
        share request), the bridge any ticket of the account (a change to send)."""
        actor = self.actor_of(actor)
        if actor.kind not in BRIDGE_KINDS:
            require(actor, "tickets.read")
            if not actor.is_employee:
                raise Forbidden("Only employees share tickets with partners.")
        ticket = self.store.tickets.get(actor, str(ticket_id))
        return federation.view(self.store, actor.account_id, ticket)
