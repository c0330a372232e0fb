"""Saved views of the queue: a person's own named filter sets, and all their counts at once."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.tickets.saved_view_schemas import (
    SavedViewCountSchema, SavedViewFiltersSchema, SavedViewSchema, SavedViewWriteSchema)
from services.tickets.schemas import TicketListQuerySchema
from services.tickets.tickets.search import searched

WRITE, SHOWN, FILTERS = SavedViewWriteSchema(), SavedViewSchema(), SavedViewFiltersSchema()
LIST_QUERY, COUNTED = TicketListQuerySchema(), SavedViewCountSchema()


class SavedViewEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def list_saved_views(self, actor):
        actor = self.authorized(actor, "tickets.read")
        return {"items": SHOWN.dump(self.store.saved_views.list(actor), many=True)}

    @rpc(expected_exceptions=EXPECTED)
    def get_saved_view(self, actor, view_id):
        actor = self.authorized(actor, "tickets.read")
        return SHOWN.dump(self.store.saved_views.get(actor, str(view_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_saved_view(self, actor, data):
        actor = self.authorized(actor, "tickets.read")
        data = load(WRITE, data)
        view = self.store.saved_views.create(actor, data["name"],
                                                 FILTERS.dump(data["filters"]))
        return SHOWN.dump(view)

    @rpc(expected_exceptions=EXPECTED)
    def delete_saved_view(self, actor, view_id):
        actor = self.authorized(actor, "tickets.read")
        self.store.saved_views.delete(actor, str(view_id))

    @rpc(expected_exceptions=EXPECTED)
    def count_saved_views(self, actor):
        """How many tickets each of the person's views lists now: one call for the whole menu."""
        actor = self.authorized(actor, "tickets.read")
        tickets = self.store.tickets
        return {"items": COUNTED.dump([
            dict(view, count=tickets.count(actor, searched(
                self.store, actor.account_id, LIST_QUERY.load(view["filters"]))))
            for view in self.store.saved_views.list(actor)], many=True)}
