"""Delivery both ways: tickets' events queued, in the order tickets made the changes, for the
links that should hear of them, the timer that sends and applies, the listener's RPC for deliveries from other installations, and the
admin's view of the outbox."""
import json
import random
from datetime import timedelta

from nameko.rpc import rpc
from nameko.timer import timer

from services.partner_bridge import (announcements, incoming, outgoing, presentation, relay,
                                     rotation, ticket_order)
from services.partner_bridge.access import require
from services.partner_bridge.installation import public_url
from services.partner_bridge.metrics import CHANGES_RECEIVED
from services.partner_bridge.schemas import OutboxQuerySchema
from services.partner_bridge.signing import link_of, verify
from services.partner_bridge.tickets_port import TicketsPort
from services.partner_bridge.transports.https import HttpsTransport
from services.partner_bridge.transports.local import LocalTransport
from services.shared.clock import utcnow
from services.shared.errors import (EXPECTED, NotFound, ServiceError, Unauthenticated,
                                    ValidationFailed)
from services.shared.events import reliable_handler
from services.shared.validation import load

RELAY_SECONDS = 1
PURGE_SECONDS = 3600
# Delivered items are kept a month for the admin's "what did we send" and then forgotten; each
# link's newest stays (outbox.purge) so that its numbering goes on.
RETENTION = timedelta(days=30)
OUTBOX_QUERY = OutboxQuerySchema()
RNG = random.SystemRandom()


class DeliveryEntrypoints:
    def _tickets_for(self, account_id):
        return TicketsPort(self.tickets, account_id)

    def _queue_for(self, account_id, ticket_id):
        def queue(change):
            view = self._tickets_for(account_id).view(ticket_id)
            return outgoing.queue_change(self.store, account_id=account_id, view=view,
                                         change=change, now=utcnow())
        return queue

    def _admit(self, payload, change):
        """Queue a change of a ticket in the order tickets made it (ticket_order.py); `change`
        None takes its turn and queues nothing."""
        account_id, ticket_id = payload["account_id"], payload["ticket_id"]
        # Most tickets are shared with nobody: look before holding anything.
        if not self.store.correlations.of_ticket(account_id, ticket_id):
            return []
        return ticket_order.admit(self.store.order, account_id=account_id, ticket_id=ticket_id,
                                  revision=payload["revision"], change=change, now=utcnow(),
                                  queue=self._queue_for(account_id, ticket_id))

    @reliable_handler("tickets", "ticket_status_changed")
    def on_ticket_status_changed(self, payload):
        self._admit(payload, {"kind": outgoing.STATUS, "changed_by": payload["changed_by"],
                              "status": payload["new_status"], "reason": payload.get("comment")})

    @reliable_handler("tickets", "ticket_commented")
    def on_ticket_commented(self, payload):
        comment = payload["comment"]
        self._admit(payload, None if comment.get("visibility") != "public" else {
            "kind": outgoing.COMMENT, "comment_id": comment["id"],
            "changed_by": comment["author"], "origin": comment.get("origin")})

    @reliable_handler("tickets", "ticket_updated")
    def on_ticket_updated(self, payload):
        self._admit(payload, outgoing.attributes_change(payload["changes"], payload["changed_by"]))

    def _transport_for(self, link, now):
        if link["partner"]["endpoint"].rstrip("/") == public_url():
            return LocalTransport(self.store, self._tickets_for, now=now)
        return HttpsTransport(
            lambda sender: self.store.links.secrets_of(sender["account_id"], sender["link_id"],
                                                       now=now),
            now=now)

    @timer(interval=RELAY_SECONDS)
    def relay_partner_changes(self):
        now = utcnow()
        transport_for = lambda link: self._transport_for(link, now)  # noqa: E731
        relay.deliver_round(self.store, transport_for, now=now, rng=RNG, clock=utcnow)
        relay.apply_round(self.store, self._tickets_for, now=now)
        relay.announce_round(self.store, transport_for, now=now, rng=RNG)
        ticket_order.sweep(self.store.order, now=now, queue_for=self._queue_for)

    @timer(interval=PURGE_SECONDS)
    def purge_partner_history(self):
        relay.purge(self.store, now=utcnow(), keep=RETENTION)

    def _signed_payload(self, account_id, link_id, headers, body):
        """The JSON object a partner installation sent, once its signature over the exact body
        has been checked with the link's secrets; and the time it was checked at."""
        if link_of(headers) != link_id:
            raise Unauthenticated("The request names another link than its address.",
                                  {"reason": "wrong_link"})
        now = utcnow()
        try:
            secrets = self.store.links.secrets_of(str(account_id), str(link_id), now=now)
        except NotFound:
            raise Unauthenticated("Unknown link.", {"reason": "unknown_link"}) from None
        raw = body.encode("utf-8")
        verify(secrets, headers, raw, now=now)
        try:
            payload = json.loads(raw)
        except ValueError:
            raise ValidationFailed.from_fields({"body": ["Not JSON."]}) from None
        if not isinstance(payload, dict):
            raise ValidationFailed.from_fields({"body": ["Must be a JSON object."]})
        return payload, now

    @rpc(expected_exceptions=EXPECTED)
    def receive_delivery(self, account_id, link_id, headers, body):
        """A delivery from another installation, as the gateway's listener received it: the
        signature is checked over the exact body before anything is parsed."""
        payload, now = self._signed_payload(account_id, link_id, headers, body)
        try:
            receipt = incoming.receive(self.store, self._tickets_for(str(account_id)),
                                       account_id=str(account_id), link_id=str(link_id),
                                       payload=payload, now=now)
        except ServiceError as refused:
            CHANGES_RECEIVED.labels(type(refused).__name__).inc()
            raise
        CHANGES_RECEIVED.labels("accepted").inc()
        return {"event_id": receipt["event_id"], "sequence": receipt["sequence"]}

    @rpc(expected_exceptions=EXPECTED)
    def receive_link_state(self, account_id, link_id, headers, body):
        """The partner installation paused, resumed or revoked the link: this side follows."""
        message, now = self._signed_payload(account_id, link_id, headers, body)
        link = announcements.take(self.store, account_id=str(account_id), link_id=str(link_id),
                                  message=message, now=now)
        return {"link_id": link["link_id"], "state": link["state"]}

    @rpc(expected_exceptions=EXPECTED)
    def receive_secret_rotation(self, account_id, link_id, headers, body):
        """The partner installation's new secret for the link, signed with the current one."""
        message, now = self._signed_payload(account_id, link_id, headers, body)
        link = rotation.take_rotation(self.store, account_id=str(account_id),
                                      link_id=str(link_id), message=message, now=now)
        return {"link_id": link["link_id"], "previous_accepted_until": link.get("secrets_until")}

    @rpc(expected_exceptions=EXPECTED)
    def list_outbox(self, actor, query):
        who = require(actor, "partners.manage")
        query = load(OUTBOX_QUERY, query)
        items, next_cursor = self.store.outbox.list(who.account_id, query)
        return {"items": [presentation.outbox_item(item) for item in items],
                "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def replay_outbox_item(self, actor, item_id):
        """Set an item in error back to ready (an admin fixed the cause); it goes in order."""
        who = require(actor, "partners.manage")
        return presentation.outbox_item(self.store.outbox.replay(who.account_id, str(item_id),
                                                                 now=utcnow()))
