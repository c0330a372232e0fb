"""The console ticket page's partner panel in one call: the links the ticket can be shared over
and the ticket's correlations (before, two calls, each after the actor was resolved)."""
from nameko.rpc import rpc

from services.partner_bridge import presentation
from services.partner_bridge.access import require
from services.partner_bridge.schemas import MAX_PAGE, CorrelationQuerySchema
from services.shared.errors import EXPECTED, Forbidden
from services.shared.validation import load

CORRELATION_QUERY = CorrelationQuerySchema()


class TicketPanelEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def ticket_sharing(self, actor, ticket_id):
        """{"links": the active links (admins; None for other staff, who may share but not see
        links), "correlations": the ticket's, newest first}. Office staff only."""
        who = require(actor, "partners.share")
        query = load(CORRELATION_QUERY, {"ticket_id": ticket_id, "limit": MAX_PAGE})
        correlations, _ = self.store.correlations.page(who.account_id, query)
        try:
            require(actor, "partners.manage")
            links = [presentation.link(doc) for doc in self.store.links.list(who.account_id,
                                                                             "active")]
        except Forbidden:
            links = None
        return {"links": links,
                "correlations": [presentation.correlation(doc) for doc in correlations]}
