"""Our clients as the tickets service holds them, reached by RPC with a deadline: a tickets service
that is down or slow fails the run with a clear Unavailable instead of hanging it."""
import eventlet
from nameko.exceptions import UnknownService

from services.shared.errors import Unavailable

TIMEOUT_SECONDS = 30


def system_actor(account_id):
    return {"account_id": account_id, "kind": "system", "id": "billing_sync", "roles": []}


class TicketsDirectory:
    def __init__(self, tickets, account_id, timeout=TIMEOUT_SECONDS):
        self.tickets = tickets
        self.actor = system_actor(account_id)
        self.timeout = timeout

    def clients(self):
        return self._call("billing_clients")

    def set_refs(self, refs):
        return self._call("set_client_onec_refs", refs)

    def ticket(self, ticket_id):
        return self._call("billing_ticket", ticket_id)

    def set_ticket_sale(self, ticket_id, sale):
        return self._call("set_ticket_onec_sale", ticket_id, sale)

    def _call(self, method, *args):
        try:
            with eventlet.Timeout(self.timeout):
                return getattr(self.tickets, method).call_async(self.actor, *args).result()
        except eventlet.Timeout:
            raise Unavailable(f"The tickets service did not answer {method} within "
                              f"{self.timeout} s.") from None
        except UnknownService:
            raise Unavailable("The tickets service is not running.") from None
