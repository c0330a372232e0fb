"""What an actor is shown of a ticket."""
from services.tickets.schemas import CommentSchema, TicketSchema, TicketSummarySchema
from services.tickets.workflow import allowed_transitions

# Schemas are built once: building one deep-copies its fields, which cost a third of a creation.
TICKET = TicketSchema()
SUMMARIES = TicketSummarySchema(many=True)
COMMENT = CommentSchema()


def _visible(actor, ticket):
    shown = dict(ticket, allowed_transitions=list(allowed_transitions(ticket["status"])))
    if actor.is_contact:
        shown["comments"] = [c for c in ticket.get("comments", []) if c["visibility"] == "public"]
        # History records internal changes (assignees, internal comments): employees only.
        shown["history"] = []
        shown["calls"], shown["recordings"] = [], []  # the desk's phone records, not the client's
    return shown


def ticket(actor, doc):
    return TICKET.dump(_visible(actor, doc))


def summaries(actor, docs):
    return SUMMARIES.dump([_visible(actor, d) for d in docs])


def comment(doc):
    return COMMENT.dump(doc)
