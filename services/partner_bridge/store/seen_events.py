"""Event ids seen per link (replay_guard.py says why they are kept)."""
from pymongo.errors import DuplicateKeyError

from services.partner_bridge.signing import WINDOW


class StoredReplayGuard:
    """Event ids seen per link, in the service's database: a unique index makes the claim atomic
    across replicas, so two copies of one delivery racing each other cannot both pass.

    Ids are kept twice the time window: an older copy is refused for its timestamp already.
    """

    def __init__(self, db, keep=2 * WINDOW):
        self.events = db.partner_seen_events
        self.keep = keep

    @staticmethod
    def create_indexes(db):
        db.partner_seen_events.create_index(
            [("account_id", 1), ("link_id", 1), ("event_id", 1)], unique=True)
        db.partner_seen_events.create_index([("account_id", 1), ("expires_at", 1)])

    def seen(self, account_id, link_id, event_id):
        return self.events.find_one({"account_id": account_id, "link_id": link_id,
                                     "event_id": event_id}, {"_id": 1}) is not None

    def claim(self, account_id, link_id, event_id, *, now):
        try:
            self.events.insert_one({"account_id": account_id, "link_id": link_id,
                                    "event_id": event_id, "seen_at": now,
                                    "expires_at": now + self.keep})
        except DuplicateKeyError:
            return False
        return True

    def accounts(self):
        """The accounts with event ids kept, for the retention timer."""
        return self.events.distinct("account_id")

    def purge(self, account_id, *, now):
        return self.events.delete_many({"account_id": account_id,
                                        "expires_at": {"$lte": now}}).deleted_count
