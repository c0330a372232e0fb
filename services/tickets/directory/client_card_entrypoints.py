"""The console's client card in one call: the client, its contracts with their service levels,
the names of its managers, its contacts, sites, equipment and open tickets (the page made eight
calls before). Each part is read through the entrypoint the API uses for it, as the caller, so
the card shows exactly what those would."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.tickets.directory import naming
from services.tickets.guard import Guard
from services.tickets.schemas import OPEN_STATUSES

CARD_ROWS = 100   # contacts, sites, equipment: the list RPCs' largest page
OPEN_TICKETS = 50


class ClientCardEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def client_card(self, actor, client_id):
        """{"client", "contracts", "service_levels": {id: level} (those the contracts name),
        "managers": {employee id: name}, "contacts", "sites", "equipment", "open_tickets"}."""
        who = self.authorized(actor, "directory.read")
        resolved = who.to_dict()
        client = self.get_client(resolved, client_id)
        rows = {"limit": CARD_ROWS}
        contracts = self.list_contracts(resolved, {"client_id": client["id"], **rows})["items"]
        named = {contract.get("service_level_id") for contract in contracts}
        managers = {client.get("manager_id"), *(c.get("manager_id") for c in contracts)}
        return {
            "client": client,
            "contracts": contracts,
            "service_levels": {level_id: self.get_service_level(resolved, level_id)
                               for level_id in sorted(named - {None})},
            "managers": naming.names_of(self.store, who.account_id, {
                "employees": sorted(m for m in managers if m)})["employees"],
            "contacts": self.list_contacts(resolved, client["id"], rows)["items"],
            "sites": self.list_sites(resolved, client["id"], rows)["items"],
            "equipment": self.list_equipment(resolved, {"client_id": client["id"], **rows})["items"],
            "open_tickets": self.list_tickets(resolved, {
                "client_id": client["id"], "limit": OPEN_TICKETS,
                "status": list(OPEN_STATUSES)})["items"],
        }
