"""Our clients matched to 1C counterparties: one document per (account, client), keyed so that a
re-run rewrites the same document, and the last matching report with both sides' leftovers.

`manual_ref` is what an admin chose and survives every run; `ref` is what the last run decided
(manual or automatic). A mapping an automatic match no longer finds is dropped with its `ref`,
never kept stale: the next run tells the tickets service the client has no counterparty.
"""
from services.billing_sync.store.snapshots import write_changes
from services.shared.clock import utcnow


class MappingStore:
    def __init__(self, db):
        self.mappings = db.counterparty_mappings
        self.reports = db.matching_reports

    @staticmethod
    def create_indexes(db):
        # The id is account:client, which already makes a client's mapping unique; a second
        # unique index would only cost every insert a uniqueness check.
        db.counterparty_mappings.create_index([("account_id", 1), ("client_id", 1)])
        db.counterparty_mappings.create_index([("account_id", 1), ("ref", 1)])
        db.matching_reports.create_index([("account_id", 1)], unique=True)

    @staticmethod
    def _id(account_id, client_id):
        return f"{account_id}:{client_id}"

    def manual_refs(self, account_id):
        return {m["client_id"]: m["manual_ref"]
                for m in self.mappings.find({"account_id": account_id,
                                             "manual_ref": {"$type": "string"}})}

    def set_manual(self, account_id, client_id, ref):
        """`ref` None forgets the manual choice, so automatic matching decides again."""
        self.mappings.update_one(
            {"_id": self._id(account_id, client_id), "account_id": account_id},
            {"$set": {"manual_ref": ref, "updated_at": utcnow()},
             "$setOnInsert": {"client_id": client_id, "ref": None}}, upsert=True)

    def current(self, account_id):
        """{client_id: ref} as the last run left it."""
        return {m["client_id"]: m["ref"]
                for m in self.mappings.find({"account_id": account_id, "ref": {"$ne": None}})}

    def apply(self, account_id, matched, client_ids):
        """Store a run's matches (idempotent); clients of `client_ids` that lost theirs get none.
        A manual choice is kept as it is."""
        found = {m["client_id"]: m for m in matched}
        stored = {d["_id"]: d for d in self.mappings.find({"account_id": account_id},
                                                           {"client_id": 1, "ref": 1, "how": 1})}
        wanted = {self._id(account_id, client_id): {
            "client_id": client_id, "ref": found[client_id]["ref"] if client_id in found else None,
            "how": found[client_id]["how"] if client_id in found else None}
            for client_id in client_ids}
        write_changes(self.mappings, account_id, wanted, stored,
                      extra_on_insert=lambda _: {"manual_ref": None, "matched_at": utcnow()})

    def save_report(self, account_id, matching, run_id):
        self.reports.update_one(
            {"_id": account_id, "account_id": account_id},
            {"$set": {"run_id": run_id, "at": utcnow(),
                      "unmatched_clients": matching.unmatched_clients,
                      "unmatched_counterparties": matching.unmatched_counterparties,
                      "matched": len(matching.matched)}}, upsert=True)

    def report(self, account_id):
        return self.reports.find_one({"_id": account_id, "account_id": account_id})
