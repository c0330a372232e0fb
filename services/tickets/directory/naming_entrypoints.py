"""Names for ids, many kinds in one call (what pages show instead of ids)."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.directory import naming
from services.tickets.guard import Guard

NAMES_QUERY = naming.NamesQuerySchema()


class NamingEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def names_of(self, actor, query):
        """{"employees": {id: name}, "groups": ..., "clients", "contacts", "sites", "equipment"}
        for the ids asked (up to 200 per kind) that are the account's."""
        actor = self.authorized(actor, "directory.read")
        return naming.names_of(self.store, actor.account_id, load(NAMES_QUERY, query))
