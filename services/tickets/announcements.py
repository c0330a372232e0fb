"""Payloads of the events the tickets service emits (`ticket_created`, `ticket_status_changed`,
`ticket_commented`).

Built with the schemas in schemas.py, so what consumers receive is what the contract names.
"""
from services.tickets.schemas import (TicketCommentedEventSchema, TicketCreatedEventSchema,
                                      TicketStatusChangedEventSchema)
from services.tickets.workflow import allowed_transitions

TICKET_CREATED = TicketCreatedEventSchema()
TICKET_STATUS_CHANGED = TicketStatusChangedEventSchema()
TICKET_COMMENTED = TicketCommentedEventSchema()


def ticket_created(ticket, sla_view=None):
    shown = dict(ticket, allowed_transitions=list(allowed_transitions(ticket["status"])),
                 sla_view=sla_view)
    return TICKET_CREATED.dump({
        "occurred_at": ticket["created_at"], "account_id": ticket["account_id"], "ticket": shown})


def ticket_status_changed(ticket, new_status, actor, comment, at):
    return TICKET_STATUS_CHANGED.dump({
        "occurred_at": at, "account_id": ticket["account_id"], "ticket_id": ticket["_id"],
        "number": ticket["number"], "old_status": ticket["status"], "new_status": new_status,
        "changed_by": actor.as_reference(), "comment": comment})


def ticket_commented(account_id, ticket_id, comment, at):
    return TICKET_COMMENTED.dump({"occurred_at": at, "account_id": account_id,
                                  "ticket_id": ticket_id, "comment": comment})
