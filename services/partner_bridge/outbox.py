"""The outbox of each link: changes numbered in order, delivered one after another, retried with
backoff, and parked in an error state an admin sees and replays.

Numbering is gapless because the receiver waits for every number (ordering.py): a new item takes
the link's highest number plus one, and a unique index on (account_id, link_id, sequence) turns
a race between two writers into a retry rather than a duplicate or a hole. There is no separate
counter that could be bumped by a writer that then dies before inserting. Purging keeps each
link's newest item for the same reason.

Delivery is strictly in order per link: only the lowest undelivered number may go, so an item in
error holds the rest of its link back until an admin replays it. That is the price of the order
promise; the other links of the account are not affected. A paused link keeps queueing and sends
nothing (`invitations.sends_changes`).

Every document carries account_id and every query filters by it.
"""
import logging
import secrets
from datetime import timedelta

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.invitations import sends_changes
from services.shared.errors import Conflict, NotFound

READY, DELIVERED, ERROR = "ready", "delivered", "error"
DELIVERED_OUTCOME, RETRY, REFUSED = "delivered", "retry", "refused"
BASE_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 30  # about a day at the capped delay, then an admin looks
LEASE = timedelta(seconds=60)
ENQUEUE_RACES = 20
log = logging.getLogger(__name__)


def backoff_delay(attempt, rng, *, base=BASE_DELAY, cap=MAX_DELAY):
    """Pause before retry number `attempt` (1 for the first retry): exponential, capped, and
    half of it random so that the links of one installation do not all retry in step after an
    outage ("equal jitter": never less than half the nominal pause)."""
    nominal = min(cap.total_seconds(), base.total_seconds() * 2 ** (attempt - 1))
    return timedelta(seconds=nominal / 2 + rng.uniform(0, nominal / 2))


def outcome_of_response(status, reason=None):
    """How a partner's HTTP answer to a delivery counts.

    2xx is delivered, and so is 409 with reason "duplicate" (it had it already). 408, 425, 429 and
    5xx (503 is what a paused partner answers) are retried. Any other answer means the partner
    will refuse this item however often it is sent: parked for an admin."""
    if 200 <= status < 300 or (status == 409 and reason == "duplicate"):
        return DELIVERED_OUTCOME
    if status in (408, 425, 429) or status >= 500:
        return RETRY
    return REFUSED


class OutboxStore:
    def __init__(self, db):
        self.items = db.partner_outbox

    @staticmethod
    def create_indexes(db):
        db.partner_outbox.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("sequence", ASCENDING)], unique=True)
        db.partner_outbox.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("state", ASCENDING)])
        db.partner_outbox.create_index([("account_id", ASCENDING), ("state", ASCENDING)])
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
        self.items.update_one({"account_id": account_id, "_id": item_id},
                              {"$set": {"state": DELIVERED, "delivered_at": now, "lease_until": now,
                                        "last_error": None}})

    def mark_failed(self, account_id, item_id, error, *, retryable, now, rng,
                    max_attempts=MAX_ATTEMPTS):
        """Count a failed attempt: retry later, or park the item when it cannot succeed."""
        item = self._get(account_id, item_id)
        attempts = item["attempts"] + 1
        changes = {"attempts": attempts, "last_error": str(error)[:1000], "last_attempt_at": now,
                   "lease_until": now}
        if retryable and attempts < max_attempts:
            changes["next_attempt_at"] = now + backoff_delay(attempts, rng)
        else:
            changes["state"] = ERROR
        return self.items.find_one_and_update({"account_id": account_id, "_id": item_id},
                                              {"$set": changes},
                                              return_document=ReturnDocument.AFTER)

    def replay(self, account_id, item_id, *, now):
        """Set an item in error back to ready, to be sent at once (an admin fixed the cause)."""
        item = self.items.find_one_and_update(
            {"account_id": account_id, "_id": item_id, "state": ERROR},
            {"$set": {"state": READY, "attempts": 0, "next_attempt_at": now, "lease_until": now}},
            return_document=ReturnDocument.AFTER)
        if item is None:
            current = self._get(account_id, item_id)
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

    def list(self, account_id, *, state, link_id=None, limit=100):
        """Items in one state, for the admin's outbox page (errors, oldest first, by default)."""
        query = {"account_id": account_id, "state": state}
        if link_id is not None:
            query["link_id"] = link_id
        return list(self.items.find(query, {"payload": 0}).sort(
            [("link_id", ASCENDING), ("sequence", ASCENDING)]).limit(limit))

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

    def purge(self, account_id, *, before):
        """Forget items delivered before `before`, except each link's newest (it holds the count)."""
        removed = 0
        for link_id in self.items.distinct("link_id", {"account_id": account_id}):
            newest = self._last_sequence(account_id, link_id)
            removed += self.items.delete_many({
                "account_id": account_id, "link_id": link_id, "state": DELIVERED,
                "delivered_at": {"$lt": before}, "sequence": {"$lt": newest}}).deleted_count
        return removed

    def _get(self, account_id, item_id):
        item = self.items.find_one({"account_id": account_id, "_id": item_id})
        if item is None:
            raise NotFound(f"No outbox item {item_id}.")
        return item


def deliver_due(store, account_id, link_id, link_state, send, *, now, rng, limit=50):
    """Send a link's due items in order until one is not delivered; returns how many went.

    `send(item)` returns (outcome, detail) with outcome delivered / retry / refused: it is the
    transport (events within one installation, signed HTTPS between two), kept out of here."""
    if not sends_changes(link_state):
        return 0
    delivered = 0
    while delivered < limit:
        item = store.claim_due(account_id, link_id, now=now)
        if item is None:
            break
        try:
            outcome, detail = send(item)
        except Exception as exc:  # a transport bug must not lose the item: counted, retried
            log.exception("partner delivery failed", extra={"link_id": link_id,
                                                            "sequence": item["sequence"]})
            outcome, detail = RETRY, repr(exc)
        if outcome == DELIVERED_OUTCOME:
            store.mark_delivered(account_id, item["_id"], now=now)
            delivered += 1
            continue
        store.mark_failed(account_id, item["_id"], detail, retryable=outcome == RETRY,
                          now=now, rng=rng)
        break
    return delivered
