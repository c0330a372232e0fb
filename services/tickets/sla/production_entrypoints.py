"""The production calendar's days of a year, for the people who set business calendars up."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.sla import production_days
from services.tickets.sla.production_schemas import ProductionYearQuerySchema, ProductionYearSchema

QUERY, YEAR = ProductionYearQuerySchema(), ProductionYearSchema()


class ProductionCalendarEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def get_production_calendar(self, actor, query):
        self.authorized(actor, "account.read")
        query = load(QUERY, query)
        return YEAR.dump(production_days.year_days(query["year"], query["language"]))
