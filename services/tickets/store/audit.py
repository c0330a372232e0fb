"""The audit log: who did what to which record, when, through which credential."""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.paging import fetch_page, period


class AuditLog:
    def __init__(self, db):
        self.entries = db.audit

    @staticmethod
    def create_indexes(db):
        db.audit.create_index([("account_id", 1), ("at", -1)])

    def record(self, actor, action, target_type=None, target_id=None, account_id=None, **details):
        """`details` must never hold a secret: callers pass names and ids, not tokens or passwords."""
        self.entries.insert_one({
            "_id": uuid.uuid4().hex, "account_id": account_id or actor.account_id, "at": utcnow(),
            "actor": actor.as_reference(), "credential_id": actor.credential_id, "action": action,
            "target_type": target_type, "target_id": target_id, "details": details})

    def add(self, entry):
        """An entry another service announced (its event id is the entry's id): stored once."""
        try:
            self.entries.insert_one({
                "_id": entry["event_id"], "account_id": entry["account_id"],
                "at": entry["occurred_at"], "actor": entry["actor"],
                "credential_id": entry.get("credential_id"), "action": entry["action"],
                "target_type": entry.get("target_type"), "target_id": entry.get("target_id"),
                "details": dict(entry.get("details") or {}, service=entry["service"])})
        except DuplicateKeyError:
            pass  # a redelivery of an entry already stored

    def list(self, account_id, query):
        conditions = [{"account_id": account_id}]
        for name, field in (("action", "action"), ("actor_id", "actor.id"),
                            ("target_type", "target_type"), ("target_id", "target_id")):
            if name in query:
                conditions.append({field: query[name]})
        conditions += period("at", query)
        return fetch_page(self.entries, {"$and": conditions}, "at", True, query.get("cursor"),
                          query["limit"])
