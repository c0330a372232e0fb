"""The manufacturer's view and the partner's view of shared tickets (reports.py)."""
from nameko.rpc import rpc

from services.partner_bridge import reports
from services.partner_bridge.access import require
from services.partner_bridge.schemas import (ManufacturerReportSchema, PartnerRequestSchema,
                                             ReportQuerySchema)
from services.shared.errors import EXPECTED
from services.shared.validation import load

QUERY, REPORT, REQUESTS = ReportQuerySchema(), ManufacturerReportSchema(), PartnerRequestSchema(many=True)


class ReportEntrypoints:
    def _report_input(self, account_id, query):
        correlations = self.store.correlations.all_of(account_id)
        if query.get("since"):
            correlations = [c for c in correlations if c["created_at"] >= query["since"]]
        return correlations, self.store.links.list(account_id)

    @rpc(expected_exceptions=EXPECTED)
    def manufacturer_report(self, actor, query):
        who = require(actor, "partners.share")
        query = load(QUERY, query)
        correlations, links = self._report_input(who.account_id, query)
        return REPORT.dump(reports.manufacturer_view(correlations, links, top=query["top"]))

    @rpc(expected_exceptions=EXPECTED)
    def partner_requests(self, actor, query):
        who = require(actor, "partners.share")
        correlations, links = self._report_input(who.account_id, load(QUERY, query))
        return {"items": REQUESTS.dump(reports.partner_requests(correlations, links))}
