"""What callers are shown of links, correlations and outbox items (never a link's secret)."""
from services.partner_bridge.invitations import allowed_link_transitions
from services.partner_bridge.schemas import CorrelationSchema, LinkSchema, OutboxItemSchema

LINK, CORRELATION, OUTBOX_ITEM = LinkSchema(), CorrelationSchema(), OutboxItemSchema()


def link(doc, backlog=None, received=None):
    shown = {k: v for k, v in doc.items() if k != "secrets"}
    shown["allowed_transitions"] = list(allowed_link_transitions(doc["state"]))
    if backlog is not None:
        shown["outbox"] = backlog
    if received is not None:
        shown["received"] = received
    return LINK.dump(shown)


def correlation(doc):
    return CORRELATION.dump(doc)


def outbox_item(doc):
    return OUTBOX_ITEM.dump(doc)
