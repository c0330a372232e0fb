"""Sharing a ticket over a link, and the correlations that say which remote ticket is whose."""
from nameko.rpc import rpc

from services.partner_bridge import outgoing, presentation
from services.partner_bridge.access import require
from services.partner_bridge.schemas import CorrelationQuerySchema, ShareSchema
from services.partner_bridge.tickets_port import TicketsPort
from services.shared.clock import utcnow
from services.shared.errors import EXPECTED
from services.shared.validation import load

SHARE, CORRELATION_QUERY = ShareSchema(), CorrelationQuerySchema()


class ShareEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def share_ticket(self, actor, link_id, data):
        """Share one of the account's tickets over a link; the partner's ticket number arrives
        on the correlation when the partner has opened its side."""
        who = require(actor, "partners.share")
        ticket_id = load(SHARE, data)["ticket_id"]
        link = self.store.links.get(who.account_id, str(link_id))
        # Read as the employee: a ticket they may not read (or another account's) is a 404.
        view = TicketsPort(self.tickets, who.account_id).view(ticket_id, actor=actor)
        correlation, _ = outgoing.share_ticket(self.store, account_id=who.account_id,
                                               link_id=link["link_id"], view=view, now=utcnow())
        return presentation.correlation(self.store.correlations.get(who.account_id,
                                                                    correlation["_id"]))

    @rpc(expected_exceptions=EXPECTED)
    def list_correlations(self, actor, query):
        who = require(actor, "partners.share")
        docs, next_cursor = self.store.correlations.page(who.account_id,
                                                         load(CORRELATION_QUERY, query))
        return {"items": [presentation.correlation(doc) for doc in docs],
                "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_correlation(self, actor, correlation_id):
        who = require(actor, "partners.share")
        return presentation.correlation(self.store.correlations.get(who.account_id,
                                                                    str(correlation_id)))
