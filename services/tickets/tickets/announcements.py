"""Payloads of the events the tickets service emits (`ticket_created`, `ticket_status_changed`,
`ticket_commented`, `ticket_updated`).

Built with the schemas in schemas.py, so what consumers receive is what the contract names.
Each carries the ticket's `revision` after the change: the ticket's changes numbered 1, 2, 3...
in the order they were made, so that a consumer handling events concurrently can put them back
in that order.
"""
from services.tickets.schemas import (TicketCommentedEventSchema, TicketCreatedEventSchema,
                                      TicketStatusChangedEventSchema, TicketUpdatedEventSchema)
from services.tickets.tickets.workflow import allowed_transitions

TICKET_CREATED = TicketCreatedEventSchema()
TICKET_STATUS_CHANGED = TicketStatusChangedEventSchema()
TICKET_COMMENTED = TicketCommentedEventSchema()
TICKET_UPDATED = TicketUpdatedEventSchema()


def ticket_created(ticket, sla_view=None):
    shown = dict(ticket, allowed_transitions=list(allowed_transitions(ticket["status"])),
                 sla_view=sla_view)
    return TICKET_CREATED.dump({
        "occurred_at": ticket["created_at"], "account_id": ticket["account_id"], "ticket": shown,
        "revision": ticket["revision"]})


def ticket_status_changed(ticket, new_status, actor, comment, at, revision):
    return TICKET_STATUS_CHANGED.dump({
        "occurred_at": at, "account_id": ticket["account_id"], "ticket_id": ticket["_id"],
        "number": ticket["number"], "old_status": ticket["status"], "new_status": new_status,
        "changed_by": actor.as_reference(), "comment": comment, "revision": revision})


def ticket_commented(account_id, ticket_id, comment, at, revision):
    return TICKET_COMMENTED.dump({"occurred_at": at, "account_id": account_id,
                                  "ticket_id": ticket_id, "comment": comment, "revision": revision})


def ticket_updated(ticket, changes, actor, at, revision):
    """`changes`: each edited field with its new value (store/tickets.py's EDITABLE names them)."""
    return TICKET_UPDATED.dump({
        "occurred_at": at, "account_id": ticket["account_id"], "ticket_id": ticket["_id"],
        "number": ticket["number"], "changes": changes, "changed_by": actor.as_reference(),
        "revision": revision})
