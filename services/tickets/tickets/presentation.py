"""What an actor is shown of a ticket."""
from services.tickets.schemas import CommentSchema, TicketSchema, TicketSummarySchema
from services.tickets.tickets.workflow import allowed_transitions

# Schemas are built once: building one deep-copies its fields, which cost a third of a creation.
TICKET = TicketSchema()
SUMMARIES = TicketSummarySchema(many=True)
COMMENT = CommentSchema()


def _visible(actor, ticket, sla_view=None):
    shown = dict(ticket, allowed_transitions=list(allowed_transitions(ticket["status"])),
                 sla_view=sla_view)
    if actor.is_contact:
        shown["comments"] = [c for c in ticket.get("comments", []) if c["visibility"] == "public"]
        # History records internal changes (assignees, internal comments): employees only.
        shown["history"] = []
        shown["calls"], shown["recordings"] = [], []  # the desk's phone records, not the client's
        shown["onec_sale"] = None  # the desk's accounting reference, not the client's
    return shown


def ticket(actor, doc, sla_view=None):
    """`sla_view`: what the store's sla_views says of the ticket's SLA now."""
    return TICKET.dump(_visible(actor, doc, sla_view))


def summaries(actor, docs, sla_views=None):
    views = sla_views or [None] * len(docs)
    return SUMMARIES.dump([_visible(actor, d, v) for d, v in zip(docs, views)])


def comment(doc):
    return COMMENT.dump(doc)
