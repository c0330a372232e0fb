"""The tickets service as partner_bridge reaches it: the port incoming.py names, over RPC.

Every call is made for one account, as the partner link when a partner's change is applied (so
that tickets' events name the link and the change is not sent back) or as the system when a
ticket is read to be shared. A call that does not answer in time, or a tickets service that is
not running, is `Unavailable`: the change stays where it is and is applied on a later attempt.
"""
from datetime import datetime

import eventlet
from nameko.exceptions import UnknownService

from services.partner_bridge.ordering import partner_actor
from services.shared.errors import Unavailable

RPC_SECONDS = 10
SYSTEM_ID = "partner_bridge"


def system_actor(account_id):
    return {"account_id": account_id, "kind": "system", "id": SYSTEM_ID}


def call_tickets(method, *args):
    """A tickets RPC through `method` (a proxy's bound method), within RPC_SECONDS."""
    try:
        with eventlet.Timeout(RPC_SECONDS, Unavailable("The tickets service did not answer.")):
            return method(*args)
    except UnknownService:
        raise Unavailable("The tickets service is not running.") from None


def _time(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def view_from_rpc(view):
    """The view tickets answered, with its times as datetimes again (what sharing.py reads)."""
    view = dict(view, created_at=_time(view.get("created_at")),
                updated_at=_time(view.get("updated_at")))
    view["comments"] = [dict(c, created_at=_time(c.get("created_at")))
                        for c in view.get("comments") or []]
    return view


class TicketsPort:
    def __init__(self, rpc, account_id):
        self.rpc, self.account_id = rpc, account_id

    def _as_link(self, actor):
        return dict(partner_actor(actor["id"]), account_id=self.account_id)

    def create_ticket(self, actor, data, *, idempotency_key):
        return call_tickets(self.rpc.partner_create_ticket, self._as_link(actor),
                     {"idempotency_key": idempotency_key, "ticket": data})

    def ticket_status(self, actor, ticket_id):
        return call_tickets(self.rpc.partner_ticket_status, self._as_link(actor), ticket_id)

    def change_status(self, actor, ticket_id, status, comment):
        call_tickets(self.rpc.partner_change_status, self._as_link(actor), ticket_id,
              {"status": status, "comment": comment})

    def add_comment(self, actor, ticket_id, body, *, author_name, origin):
        call_tickets(self.rpc.partner_add_comment, self._as_link(actor), ticket_id,
              {"body": body, "author_name": author_name, "origin": origin})

    def update_ticket(self, actor, ticket_id, changes):
        call_tickets(self.rpc.partner_update_ticket, self._as_link(actor), ticket_id, changes)

    def view(self, ticket_id, actor=None):
        """The ticket as sharing rules read it: as `actor` (an employee sharing it, whose own
        access is checked) or as the system (a change of a ticket already shared)."""
        return view_from_rpc(call_tickets(self.rpc.partner_ticket_view,
                                   actor or system_actor(self.account_id), ticket_id))
