"""Delivery to another account of this installation: the receiving side's `incoming.receive`,
called in this process on the same database.

The envelope goes through the same JSON text and the same parsing as between installations, so
a partner account here sees exactly what a remote one would. There is no signature: both sides
are this service, and nothing crosses a network.
"""
import json

from services.partner_bridge import announcements, incoming, rotation
from services.partner_bridge.outbox import DELIVERED_OUTCOME, outcome_of_response
from services.partner_bridge.transports.base import Transport, body_of, status_of
from services.shared.errors import ServiceError


class LocalTransport(Transport):
    def __init__(self, store, tickets_for, *, now):
        """`tickets_for(account_id)` is the tickets port of the receiving account."""
        self.store, self.tickets_for, self.now = store, tickets_for, now

    @staticmethod
    def _judged(receive):
        try:
            receive()
        except ServiceError as refused:
            return (outcome_of_response(status_of(refused), refused.extra.get("reason")),
                    refused.detail)
        return DELIVERED_OUTCOME, "accepted"

    def send(self, link, item):
        receiver = link["partner"]["account_id"]
        return self._judged(lambda: incoming.receive(
            self.store, self.tickets_for(receiver), account_id=receiver, link_id=link["link_id"],
            payload=json.loads(body_of(item)), now=self.now))

    def announce_state(self, link, message):
        return self._judged(lambda: announcements.take(
            self.store, account_id=link["partner"]["account_id"], link_id=link["link_id"],
            message=message, now=self.now))

    def rotate_secret(self, link, message):
        rotation.take_rotation(self.store, account_id=link["partner"]["account_id"],
                               link_id=link["link_id"], message=message, now=self.now)
