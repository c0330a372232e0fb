"""The outbox of each link in the database (outbox.py says how it is numbered and delivered):
a new item takes the link's highest number plus one under a unique index, so a race between
two writers is a retry rather than a duplicate or a hole; the head is leased while it is sent.

Every document carries account_id and every query filters by it.
"""
import secrets
from datetime import timedelta

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.outbox import (DELIVERED, ERROR, MAX_ATTEMPTS, READY,
                                            after_failure)
from services.partner_bridge.store.pairs import first_pairs
from services.shared.errors import Conflict, NotFound
from services.shared.paging import fetch_page

LEASE = timedelta(seconds=60)
ENQUEUE_RACES = 20


class OutboxStore:
    def __init__(self, db):
        self.items = db.partner_outbox

    @staticmethod
    def create_indexes(db):
        db.partner_outbox.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("sequence", ASCENDING)], unique=True)
        db.partner_outbox.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("state", ASCENDING)])
        db.partner_outbox.create_index([("account_id", ASCENDING), ("state", ASCENDING),
                                        ("created_at", ASCENDING)])
        db.partner_outbox.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("change_key", ASCENDING)],
            sparse=True)

    def _last_sequence(self, account_id, link_id):
        last = self.items.find_one({"account_id": account_id, "link_id": link_id},
                                   {"sequence": 1}, sort=[("sequence", DESCENDING)])
        return last["sequence"] if last else 0

    def by_change(self, account_id, link_id, change_key):
        """The item queued for a ticket's change (its `change_key`), or None."""
        return self.items.find_one({"account_id": account_id, "link_id": link_id,
                                    "change_key": change_key})

    def enqueue(self, account_id, link_id, build, *, now, change_key=None):
        """Queue the next change of a link. `build(sequence)` returns (event_id, event_type,
        payload): the payload carries its own number, so it is built once the number is known.
        `change_key` names the ticket's change it carries (ticket id and revision)."""
        for _ in range(ENQUEUE_RACES):
            sequence = self._last_sequence(account_id, link_id) + 1
            event_id, event_type, payload = build(sequence)
            item = {"_id": secrets.token_hex(12), "account_id": account_id, "link_id": link_id,
                    "sequence": sequence, "event_id": event_id, "event_type": event_type,
                    "payload": payload, "state": READY, "attempts": 0, "created_at": now,
                    "next_attempt_at": now, "lease_until": now, "last_error": None,
                    "delivered_at": None}
            if change_key is not None:
                item["change_key"] = change_key
            try:
                self.items.insert_one(item)
            except DuplicateKeyError:
                continue  # another writer took this number first: take the next one
            return item
        raise Conflict("The link's outbox is too busy; try again.", {"link_id": link_id})

    def head(self, account_id, link_id):
        """The lowest undelivered item of a link, whatever its state, or None."""
        return self.items.find_one({"account_id": account_id, "link_id": link_id,
                                    "state": {"$in": [READY, ERROR]}},
                                   sort=[("sequence", ASCENDING)])

    def claim_due(self, account_id, link_id, *, now, lease=LEASE):
        """The head if it may be sent now, leased so a second replica leaves it alone; else None."""
        head = self.head(account_id, link_id)
        if head is None or head["state"] != READY or head["next_attempt_at"] > now:
            return None
        return self.items.find_one_and_update(
            {"account_id": account_id, "_id": head["_id"], "state": READY,
             "lease_until": {"$lte": now}},
            {"$set": {"lease_until": now + lease}}, return_document=ReturnDocument.AFTER)

    def mark_delivered(self, account_id, item_id, *, now):
        """Delivered at `now` (when the partner's answer came), on this item's last try."""
        self.items.update_one({"account_id": account_id, "_id": item_id},
                              {"$set": {"state": DELIVERED, "delivered_at": now, "lease_until": now,
                                        "last_attempt_at": now, "last_error": None},
                               "$inc": {"attempts": 1}})

    def park_head(self, account_id, link_id, error, *, now):
        """Put the link's head in error with `error`: delivering it failed outside the
        transport (the link or the item is corrupt). An admin fixes it and replays it."""
        head = self.head(account_id, link_id)
        if head is None:
            return None
        return self.items.find_one_and_update(
            {"account_id": account_id, "_id": head["_id"]},
            {"$set": {"state": ERROR, "last_error": error, "last_attempt_at": now,
                      "lease_until": now}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)

    def mark_failed(self, account_id, item_id, error, *, retryable, now, rng,
                    max_attempts=MAX_ATTEMPTS):
        """Count a failed attempt: retry later, or park the item when it cannot succeed."""
        item = self._get(account_id, item_id)
        changes = after_failure(item["attempts"], error, retryable=retryable, now=now, rng=rng,
                                max_attempts=max_attempts,
                                counted_from=item.get("attempts_at_replay", 0))
        return self.items.find_one_and_update({"account_id": account_id, "_id": item_id},
                                              {"$set": changes},
                                              return_document=ReturnDocument.AFTER)

    def replay(self, account_id, item_id, *, now):
        """Set an item in error back to ready, to be sent at once (an admin fixed the cause)."""
        # Attempts go on counting every try; the retry budget starts again from here.
        current = self._get(account_id, item_id)
        item = self.items.find_one_and_update(
            {"account_id": account_id, "_id": item_id, "state": ERROR},
            {"$set": {"state": READY, "next_attempt_at": now, "lease_until": now,
                      "replayed_at": now, "attempts_at_replay": current["attempts"]}},
            return_document=ReturnDocument.AFTER)
        if item is None:
            current = self._get(account_id, item_id)  # its state now, for the answer
            raise Conflict("Only an item in error can be replayed.",
                           {"state": current["state"], "allowed": [ERROR]})
        return item

    def errors(self, account_id, link_id=None, limit=100):
        """Items in error, what an admin sees, oldest first."""
        query = {"account_id": account_id, "state": ERROR}
        if link_id is not None:
            query["link_id"] = link_id
        return list(self.items.find(query, {"payload": 0}).sort(
            [("link_id", ASCENDING), ("sequence", ASCENDING)]).limit(limit))

    def list(self, account_id, query):
        """A page of items in one state, oldest first, for the admin's outbox page: (items, next
        cursor)."""
        condition = {"account_id": account_id, "state": query["state"]}
        if query.get("link_id") is not None:
            condition["link_id"] = query["link_id"]
        return fetch_page(self.items, condition, "created_at", False, query.get("cursor"),
                          query["limit"], projection={"payload": 0})

    def backlog(self, account_id, link_id):
        """How a link's queue stands: counts by state and its head, for the admin's link page."""
        counts = {state: self.items.count_documents({"account_id": account_id, "link_id": link_id,
                                                     "state": state})
                  for state in (READY, ERROR, DELIVERED)}
        head = self.head(account_id, link_id)
        return {"counts": counts, "blocked": bool(head and head["state"] == ERROR),
                "head": None if head is None else {
                    key: head[key] for key in ("_id", "sequence", "state", "attempts", "last_error",
                                               "next_attempt_at")}}

    def accounts(self):
        """The accounts with items, for the retention timer."""
        return self.items.distinct("account_id")

    def purge(self, account_id, *, before):
        """Forget items delivered before `before`, except each link's newest (it holds the count)."""
        removed = 0
        for link_id in self.items.distinct("link_id", {"account_id": account_id}):
            newest = self._last_sequence(account_id, link_id)
            removed += self.items.delete_many({
                "account_id": account_id, "link_id": link_id, "state": DELIVERED,
                "delivered_at": {"$lt": before}, "sequence": {"$lt": newest}}).deleted_count
        return removed

    def due_links(self, *, now, limit):
        """(account_id, link_id) of links whose outbox has an item that may go now."""
        return first_pairs(self.items, {"state": READY, "next_attempt_at": {"$lte": now}},
                           "link_id", limit=limit, scan=limit * 20)

    def _get(self, account_id, item_id):
        item = self.items.find_one({"account_id": account_id, "_id": item_id})
        if item is None:
            raise NotFound(f"No outbox item {item_id}.")
        return item
