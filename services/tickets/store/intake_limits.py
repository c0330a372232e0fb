"""The QR intake counters in MongoDB: one document per key and window, counted atomically (the
rules are in assets/intake_limits.py)."""
from pymongo import ReturnDocument

from services.shared.clock import utcnow
from services.tickets.assets.intake_limits import WINDOW, check, counter_key, window_of


class IntakeLimiter:
    def __init__(self, db):
        self.counters = db.intake_counters

    @staticmethod
    def create_indexes(db):
        # Keyed by _id; a window's counter is deleted once the window is over (TTL).
        db.intake_counters.create_index("expires_at", expireAfterSeconds=0)

    def spend(self, key, limit):
        """Count one request of `key`; Throttled past `limit` in the current window."""
        window = window_of(utcnow())
        doc = self.counters.find_one_and_update(
            {"_id": counter_key(key, window)},
            {"$inc": {"count": 1}, "$set": {"window": window, "expires_at": window + WINDOW}},
            upsert=True, return_document=ReturnDocument.AFTER)
        check(doc["count"], limit, window, utcnow())
