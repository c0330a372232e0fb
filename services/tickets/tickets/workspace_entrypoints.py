"""The ticket page's read: the ticket and what the page shows beside it, in one call (the
console's ticket page made eight RPCs before; see tickets/workspace.py)."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.contracts.schemas import PriceItemSchema
from services.tickets.directory import naming
from services.tickets.directory.schemas import PageQuerySchema
from services.tickets.guard import Guard
from services.tickets.permissions import require
from services.tickets.tickets import workspace

PRICE_ITEMS, PAGE = PriceItemSchema(many=True), PageQuerySchema()


class WorkspaceEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def ticket_workspace(self, actor, ticket_id):
        """{"actor": the resolved actor (for the page's calls to services that own no
        credentials), "ticket": as get_ticket, "names": as names_of for every id it mentions,
        "assignees": [[id, name]], "groups": [[id, name]], "price_items": the active ones,
        "caller_numbers": [...]}. Employees only: the picker lists are the directory's."""
        actor = self.authorized(actor, "tickets.read")
        require(actor, "directory.read")
        ticket = self._shown(actor, self.store.tickets.get(actor, str(ticket_id)))
        account_id = actor.account_id
        names = naming.names_of(self.store, account_id, workspace.referenced_ids(ticket))
        staff, _ = self.store.employees.list(account_id, load(PAGE, {
            "active": True, "limit": workspace.STAFF_PAGE}))
        phones = []
        if ticket.get("contact_id") and ticket.get("client_id"):
            phones = self.store.contacts.get(account_id, ticket["contact_id"],
                                             ticket["client_id"]).get("phones", [])
        return {
            "actor": actor.to_dict(),
            "ticket": ticket,
            "names": names,
            "assignees": workspace.assignee_choices(
                [{"id": doc["_id"], "name": doc["name"]} for doc in staff], ticket, names),
            "groups": [(group["_id"], group["name"]) for group in self.store.groups.list(
                account_id, {"limit": workspace.GROUPS_SHOWN})[0]],
            "price_items": PRICE_ITEMS.dump(item for item in self.store.price_list.list(
                account_id, {"limit": workspace.PRICE_ITEMS_SHOWN})[0] if item.get("active")),
            "caller_numbers": workspace.caller_numbers(phones, ticket),
        }
