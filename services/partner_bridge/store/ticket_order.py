"""Where each shared ticket's changes stand (ticket_order.py says why): a position per ticket,
leased by one worker at a time, and each change held until its turn.

Every document carries account_id and every query filters by it.
"""
from datetime import timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.store.pairs import first_pairs

LEASE = timedelta(seconds=30)


class TicketOrderStore:
    def __init__(self, db):
        self.positions = db.partner_ticket_positions
        self.held = db.partner_held_changes

    @staticmethod
    def create_indexes(db):
        db.partner_held_changes.create_index(
            [("account_id", ASCENDING), ("ticket_id", ASCENDING), ("revision", ASCENDING)],
            unique=True)
        db.partner_held_changes.create_index([("held_at", ASCENDING)])

    @staticmethod
    def _key(account_id, ticket_id):
        return f"{account_id}:{ticket_id}"

    def start(self, account_id, ticket_id, revision):
        """Begin the ticket's position at `revision` unless it has one already."""
        self.positions.update_one(
            {"_id": self._key(account_id, ticket_id)},
            {"$setOnInsert": {"account_id": account_id, "ticket_id": ticket_id,
                              "revision": revision, "lease_until": None}}, upsert=True)

    def hold(self, account_id, ticket_id, revision, change, *, now):
        try:
            self.held.insert_one({"account_id": account_id, "ticket_id": ticket_id,
                                  "revision": revision, "change": change, "held_at": now})
        except DuplicateKeyError:
            pass  # the same change handled twice (a redelivered event): held once

    def take_lease(self, account_id, ticket_id, *, now, lease=LEASE):
        """The ticket's position ({"revision": last queued}) with the lease taken, or None when
        another worker holds it."""
        return self.positions.find_one_and_update(
            {"_id": self._key(account_id, ticket_id), "account_id": account_id,
             "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]},
            {"$set": {"lease_until": now + lease}}, projection={"revision": 1},
            return_document=ReturnDocument.AFTER)

    def release(self, account_id, ticket_id):
        self.positions.update_one({"_id": self._key(account_id, ticket_id), "account_id": account_id},
                                  {"$set": {"lease_until": None}})

    def advance(self, account_id, ticket_id, revision):
        self.positions.update_one({"_id": self._key(account_id, ticket_id), "account_id": account_id},
                                  {"$max": {"revision": revision}})

    def first_held(self, account_id, ticket_id, after):
        """The lowest change held above `after` and not parked, dropping those at or below it
        (queued already, or part of the share)."""
        self.held.delete_many({"account_id": account_id, "ticket_id": ticket_id,
                               "revision": {"$lte": after}, "parked": None})
        return self.held.find_one({"account_id": account_id, "ticket_id": ticket_id,
                                   "revision": {"$gt": after}, "parked": None},
                                  sort=[("revision", ASCENDING)])

    def park_first(self, account_id, ticket_id, error, *, now):
        """Park the ticket's first held change with the error queueing it met: kept for an
        admin, out of the way; the ticket's later changes go after the hold (ticket_order.py)."""
        position = self.positions.find_one({"_id": self._key(account_id, ticket_id),
                                            "account_id": account_id}, {"revision": 1})
        held = self.first_held(account_id, ticket_id, (position or {}).get("revision", 0))
        if held is not None:
            self.held.update_one({"_id": held["_id"]},
                                 {"$set": {"parked": {"error": error, "at": now}}})

    def waiting_tickets(self, *, before, limit=200):
        """(account_id, ticket_id) of tickets with a change held since before `before`."""
        return first_pairs(self.held, {"held_at": {"$lte": before}, "parked": None}, "ticket_id",
                           limit=limit, scan=limit)
