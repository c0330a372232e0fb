"""One installation with two accounts federating through partner_bridge's domain and stores.

Everything but nameko and HTTP is real: the embedded database, the stores, the sharing rules,
the TMF621 JSON text signed with the link's secret and verified on arrival. The tickets service
is a fake behind the port incoming.py names, which announces its changes the way tickets events
do (with the actor that made them and the ticket's revision), and `announce` plays the event
handler that queues them, in whatever order the events are handed to it.
"""
import json
import random
from datetime import datetime, timedelta

from services.partner_bridge import incoming, outgoing, ticket_order
from services.partner_bridge.invitations import read_invitation
from services.partner_bridge.outbox import deliver_due, outcome_of_response
from services.partner_bridge.signing import link_of, sign, verify
from services.partner_bridge.store import Store
from services.shared.errors import (
    Conflict, Forbidden, NotFound, ServiceError, Unauthenticated, Unavailable, ValidationFailed)
from services.tickets.tickets.workflow import check_transition

KEY = "installation-key-for-tests-0123456789"
EMPLOYEE = {"kind": "employee", "id": "e-1", "name": "Anna Engineer"}
HTTP_STATUS = {ValidationFailed: 422, Forbidden: 403, Unauthenticated: 401, NotFound: 404,
               Conflict: 409, Unavailable: 503}


class FakeTickets:
    def __init__(self, account_id):
        self.account_id = account_id
        self.tickets, self.keys, self.events = {}, {}, []
        self.made = []  # every change announced, in the order made (events is the handler's)
        self.down = False

    def open(self, **fields):
        number = len(self.tickets) + 1
        ticket = dict({"id": f"{self.account_id}-t{number}", "number": number, "status": "opened",
                       "priority": "normal", "type": "incident", "description": "",
                       "created_at": datetime(2026, 11, 30, 9), "updated_at": datetime(2026, 11, 30, 9),
                       "comments": [], "attachments": [], "revision": 1}, **fields)
        self.tickets[ticket["id"]] = ticket
        return ticket

    def _announce(self, ticket, change):
        ticket["revision"] += 1
        self.events.append((ticket["id"], ticket["revision"], change))
        self.made.append(change)

    def update_ticket(self, actor, ticket_id, changes):
        """What tickets' update does: the fields that change, and ticket_updated with them."""
        ticket = self.tickets[ticket_id]
        changed = {k: v for k, v in changes.items() if ticket.get(k) != v}
        if changed:
            ticket.update(changed)
            self._announce(ticket, outgoing.attributes_change(changed, actor))

    # -- the port ------------------------------------------------------------------------------

    def create_ticket(self, actor, data, *, idempotency_key):
        if idempotency_key in self.keys:
            return self.tickets[self.keys[idempotency_key]]
        ticket = self.open(**data, created_by=actor)
        self.keys[idempotency_key] = ticket["id"]
        return ticket

    def ticket_status(self, actor, ticket_id):
        return self.tickets[ticket_id]["status"]

    def view(self, ticket_id, actor=None):
        return dict(self.tickets[ticket_id])

    def change_status(self, actor, ticket_id, status, comment):
        if self.down:
            raise Unavailable("tickets is not running")
        ticket = self.tickets[ticket_id]
        check_transition(ticket["status"], status)
        ticket["status"] = status
        self._announce(ticket, {"kind": "status", "changed_by": actor, "status": status,
                                "reason": comment})

    def add_comment(self, actor, ticket_id, body, *, author_name=None, origin=None,
                    visibility="public"):
        ticket = self.tickets[ticket_id]
        if origin and any(c.get("origin") == origin for c in ticket["comments"]):
            return
        comment = {"id": f"{ticket_id}-c{len(ticket['comments']) + 1}", "body": body,
                   "visibility": visibility, "created_at": datetime(2026, 11, 30, 10),
                   "author": dict(actor, name=author_name or actor.get("name"))}
        if origin:
            comment["origin"] = origin
        ticket["comments"].append(comment)
        self._announce(ticket, None if visibility != "public" else {
            "kind": "comment", "comment_id": comment["id"], "changed_by": actor, "origin": origin})


class Installation:
    def __init__(self, db, now=datetime(2026, 11, 30, 12, 0)):
        Store.create_indexes(db)
        self.store = Store(db)
        self.tickets = {}
        self.now = now
        self.rng = random.Random(1)
        self.delivered = 0
        self.tamper = None

    def account(self, account_id):
        self.tickets[account_id] = FakeTickets(account_id)
        return self.tickets[account_id]

    def link(self, inviter, invitee, rules=None):
        """`inviter` invites, `invitee` accepts; returns the link id."""
        _, code = self.store.links.invite(KEY, account_id=inviter, account_name=inviter.title(),
                                          endpoint="https://desk.example", now=self.now,
                                          actor=EMPLOYEE, rules=rules)
        _, secret = self.store.links.accept(KEY, code, now=self.now, partner={
            "account_id": invitee, "account_name": invitee.title(), "endpoint": "https://desk.example"})
        self.store.links.join(read_invitation(code), secret, account_id=invitee, now=self.now,
                              actor=EMPLOYEE, rules=rules)
        return read_invitation(code).link_id

    def announce(self, account_id, reverse=False):
        """The event handler: hold each change the account's tickets announced and queue them
        in revision order; `reverse` hands the pending events over last first."""
        fake = self.tickets[account_id]
        events, fake.events = fake.events, []
        for ticket_id, revision, change in reversed(events) if reverse else events:
            if not self.store.correlations.of_ticket(account_id, ticket_id):
                continue

            def queue(change, ticket_id=ticket_id):
                return outgoing.queue_change(self.store, account_id=account_id,
                                             view=fake.tickets[ticket_id], change=change,
                                             now=self.now)
            ticket_order.admit(self.store.order, account_id=account_id, ticket_id=ticket_id,
                               revision=revision, change=change, now=self.now, queue=queue)

    def partner_of(self, account_id, link_id):
        return self.store.links.get(account_id, link_id)["partner"]["account_id"]

    def send(self, account_id, link_id, item):
        """The HTTPS transport in miniature: JSON text, signed, verified, received."""
        receiver = self.partner_of(account_id, link_id)
        body = json.dumps(item["payload"]).encode()
        headers = sign(self.store.links.secrets_of(account_id, link_id, now=self.now)[0], link_id,
                       body, now=self.now)
        if self.tamper:
            body = self.tamper(body)
        try:
            verify(self.store.links.secrets_of(receiver, link_of(headers), now=self.now), headers,
                   body, now=self.now)
            incoming.receive(self.store, self.tickets[receiver], account_id=receiver,
                             link_id=link_id, payload=json.loads(body), now=self.now)
        except ServiceError as error:
            outcome = outcome_of_response(HTTP_STATUS[type(error)], error.extra.get("reason"))
            return outcome, error.detail
        return outcome_of_response(202), "accepted"

    def deliver(self, account_id, link_id):
        state = self.store.links.get(account_id, link_id)["state"]
        sent = deliver_due(self.store.outbox, account_id, link_id, state,
                           lambda item: self.send(account_id, link_id, item),
                           now=self.now, rng=self.rng)
        self.delivered += sent
        return sent

    def settle(self, link_id, accounts, rounds=10):
        """Announce and deliver both ways until nothing moves."""
        for _ in range(rounds):
            moved = 0
            for account_id in accounts:
                self.announce(account_id)
                moved += self.deliver(account_id, link_id)
            if not moved:
                return

    def share(self, sender, receiver, **fields):
        """`sender` opens a ticket with `fields` and shares it over the link, settled both ways:
        (the sender's ticket, the receiver's copy)."""
        ticket = self.tickets[sender].open(**fields)
        outgoing.share_ticket(self.store, account_id=sender, link_id=self.link_id, view=ticket,
                              now=self.now)
        self.settle(self.link_id, [sender, receiver])
        [received] = self.tickets[receiver].tickets.values()
        return ticket, received

    def later(self, seconds):
        self.now += timedelta(seconds=seconds)


def two_accounts(db, inviter, invitee, rules=None):
    """An installation with `inviter` linked to `invitee`; its `link_id` is the link."""
    installation = Installation(db)
    installation.account(inviter)
    installation.account(invitee)
    installation.link_id = installation.link(inviter, invitee, rules=rules)
    return installation
