"""External ids: the keys another system (a spreadsheet, 1C, a CRM) knows our records by.

Each is unique per account and kind of record. The registry is keyed by `_id` (account, kind,
external id), which is the unique index, like the login registry; the records carry the same
`external_id` too, for people reading them. A key is claimed before its record is created and bound
to the record afterwards, so two imports of one new external id at once cannot both create it.
"""
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict

# A claim never bound to a record after this long was left by a crash: it may be taken over.
STALE_CLAIM = timedelta(minutes=10)


class ExternalIdRegistry:
    def __init__(self, db):
        self.ids = db.external_ids

    @staticmethod
    def create_indexes(db):
        pass  # keyed by _id: account, kind and external id

    @staticmethod
    def key(account_id, kind, external_id):
        return f"{account_id}|{kind}|{external_id}"

    def find(self, account_id, kind, external_id):
        return self.ids.find_one({"_id": self.key(account_id, kind, external_id)})

    def claim(self, account_id, kind, external_id):
        """Reserve the key for a record about to be created; Conflict while someone else holds it."""
        key, now = self.key(account_id, kind, external_id), utcnow()
        try:
            self.ids.insert_one({"_id": key, "account_id": account_id, "kind": kind,
                                 "external_id": external_id, "record_id": None, "claimed_at": now})
            return
        except DuplicateKeyError:
            pass
        taken = self.ids.update_one(
            {"_id": key, "record_id": None, "claimed_at": {"$lt": now - STALE_CLAIM}},
            {"$set": {"claimed_at": now}})
        if not taken.matched_count:
            raise Conflict(f"The external id {external_id} is being imported by another request.",
                           {"field": "external_id"})

    def bind(self, account_id, kind, external_id, record_id):
        self.ids.update_one({"_id": self.key(account_id, kind, external_id)},
                            {"$set": {"record_id": record_id}})

    def release(self, account_id, kind, external_id):
        """Give back a claim whose record could not be created."""
        self.ids.delete_one({"_id": self.key(account_id, kind, external_id), "record_id": None})
