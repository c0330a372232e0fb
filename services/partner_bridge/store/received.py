"""A link's incoming changes in the service's database, with the interface of
`ordering.IncomingSequence` (receive, next_ready, mark_applied, waiting_for).

Each change waiting is a document of its own, unique per (account, link, sequence), so that a
link with many changes behind a gap never grows one document towards MongoDB's 16 MB limit, and
two replicas receiving the same change at once store it once. The position (the last number
applied) is a small document per link, moved with a guard on its old value: of two replicas
applying the same change, one moves it and the other learns it has nothing to do.
"""
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.ordering import MAX_BUFFERED, check_sequence, too_many_waiting
from services.partner_bridge.store.pairs import first_pairs


class ReceivedStore:
    def __init__(self, db):
        self.changes = db.partner_received
        self.positions = db.partner_positions

    @staticmethod
    def create_indexes(db):
        db.partner_received.create_index(
            [("account_id", ASCENDING), ("link_id", ASCENDING), ("sequence", ASCENDING)], unique=True)
        db.partner_positions.create_index([("account_id", ASCENDING), ("link_id", ASCENDING)],
                                          unique=True)

    def waiting_links(self, *, limit):
        """(account_id, link_id) of links holding received changes not applied yet (and not
        parked: those wait for an admin)."""
        return first_pairs(self.changes, {"parked": None}, "link_id", limit=limit,
                           scan=limit * 20)

    def parked(self, account_id, link_id, limit=20):
        """The link's changes parked in error: [{"sequence", "error", "at"}]."""
        return [dict(doc["parked"], sequence=doc["sequence"]) for doc in self.changes.find(
            {"account_id": account_id, "link_id": link_id, "parked": {"$ne": None}},
            {"sequence": 1, "parked": 1}).sort([("sequence", ASCENDING)]).limit(limit)]

    def unpark(self, account_id, link_id):
        """Set the link's parked changes going again (an admin fixed the cause); how many."""
        return self.changes.update_many(
            {"account_id": account_id, "link_id": link_id, "parked": {"$ne": None}},
            {"$set": {"parked": None}}).modified_count

    def park_next(self, account_id, link_id, error, *, now):
        """Park the link's next change with the error applying it met: it stays, first in line,
        and the link's later changes wait behind it until an admin sets it going."""
        key = {"account_id": account_id, "link_id": link_id}
        position = self.positions.find_one(key, {"applied_through": 1})
        following = (position or {}).get("applied_through", 0) + 1
        self.changes.update_one(dict(key, sequence=following),
                                {"$set": {"parked": {"error": error, "at": now}}})

    def for_link(self, account_id, link_id, *, now, max_buffered=MAX_BUFFERED):
        return StoredSequence(self, account_id, link_id, now=now, max_buffered=max_buffered)


class StoredSequence:
    def __init__(self, store, account_id, link_id, *, now, max_buffered):
        self.store, self.account_id, self.link_id = store, account_id, link_id
        self.now, self.max_buffered = now, max_buffered
        self.key = {"account_id": account_id, "link_id": link_id}

    @property
    def applied_through(self):
        position = self.store.positions.find_one(self.key, {"applied_through": 1})
        return position["applied_through"] if position else 0

    def receive(self, sequence, change):
        check_sequence(sequence)
        position = self.applied_through
        if sequence <= position:
            return "duplicate"
        if (sequence > position + 1
                and self.store.changes.count_documents(self.key) >= self.max_buffered):
            raise too_many_waiting(position)
        try:
            self.store.changes.insert_one(dict(self.key, sequence=sequence, change=change,
                                               received_at=self.now))
        except DuplicateKeyError:
            return "duplicate"
        if sequence <= self.applied_through:
            # Another replica applied this number while we stored it: our copy is a leftover.
            self.store.changes.delete_one(dict(self.key, sequence=sequence))
            return "duplicate"
        return "accepted"

    def append(self, change, *, races=20):
        """Keep an unnumbered change (a plain TMF621 sender's) after every change held; returns
        the number it takes. Two arriving at once meet on the unique index and one takes the
        next number."""
        for _ in range(races):
            last = self.store.changes.find_one(self.key, {"sequence": 1},
                                               sort=[("sequence", -1)])
            number = max(self.applied_through, last["sequence"] if last else 0) + 1
            try:
                self.store.changes.insert_one(dict(self.key, sequence=number, change=change,
                                                   received_at=self.now))
            except DuplicateKeyError:
                continue
            return number
        raise too_many_waiting(self.applied_through)

    def waiting_for(self):
        position = self.applied_through
        if self.store.changes.find_one(dict(self.key, sequence=position + 1), {"_id": 1}):
            return None
        if self.store.changes.find_one(dict(self.key, sequence={"$gt": position}), {"_id": 1}):
            return position + 1
        return None

    def next_ready(self):
        following = self.applied_through + 1
        found = self.store.changes.find_one(dict(self.key, sequence=following, parked=None))
        return None if found is None else (following, found["change"])

    def mark_applied(self, sequence):
        """Move past `sequence`; False if another worker did so first."""
        check_sequence(sequence)
        if sequence == 1:
            # The first change creates the position; the unique index lets only one worker do so.
            try:
                self.store.positions.insert_one(dict(self.key, applied_through=1))
                moved = True
            except DuplicateKeyError:
                moved = False
        else:
            moved = self.store.positions.update_one(
                dict(self.key, applied_through=sequence - 1),
                {"$set": {"applied_through": sequence}}).matched_count == 1
        if moved:
            self.store.changes.delete_one(dict(self.key, sequence=sequence))
        return moved
