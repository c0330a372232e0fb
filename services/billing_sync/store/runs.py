"""Sync runs: queued by an admin or the schedule, claimed by one replica, finished with counts,
duration and the error that stopped them.

At most one run per connection is queued or running (a sparse unique index on `active`, unset
when the run ends), so a second "run now" while one is under way answers the run under way. A
claim is a lease (`lease_until`) with a token of its own; the replica carrying the run renews it
while the run progresses (run_execution.py), so a long run is never taken for a dead one. A replica
that dies mid-run stops renewing; once the lease expires another replica runs it again from the
start, which is safe because every write of a run is idempotent, and the first one, should it
wake, finds its token gone and stops.
"""
import uuid
from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import NotFound
from services.shared.paging import fetch_page

LEASE = timedelta(minutes=10)


class RunStore:
    def __init__(self, db):
        self.runs = db.sync_runs

    @staticmethod
    def create_indexes(db):
        db.sync_runs.create_index([("active", 1)], unique=True, sparse=True)
        db.sync_runs.create_index([("account_id", 1), ("connection_id", 1), ("queued_at", -1)])
        db.sync_runs.create_index([("state", 1), ("queued_at", 1)])

    def queue(self, connection, trigger, mode):
        """A new queued run, or the connection's run already queued or running."""
        now = utcnow()
        run = {"_id": uuid.uuid4().hex, "account_id": connection["account_id"],
               "connection_id": connection["_id"], "trigger": trigger, "mode": mode,
               "state": "queued", "active": connection["_id"], "queued_at": now,
               "started_at": None, "finished_at": None, "duration_seconds": None,
               "counts": {}, "error": None}
        try:
            self.runs.insert_one(run)
            return run
        except DuplicateKeyError:
            return self.runs.find_one({"active": connection["_id"]})

    def claim(self, lease=None):
        """The oldest queued run (or one whose runner died), now running under this replica."""
        now = utcnow()
        return self.runs.find_one_and_update(
            {"$or": [{"state": "queued"}, {"state": "running", "lease_until": {"$lt": now}}]},
            {"$set": {"state": "running", "started_at": now, "lease_until": now + (lease or LEASE),
                      "claim": uuid.uuid4().hex}},
            sort=[("queued_at", 1)], return_document=ReturnDocument.AFTER)

    def renew(self, run, lease=None):
        """Extend the lease of a run this replica still holds; False when another took it over."""
        found = self.runs.update_one(
            {"_id": run["_id"], "account_id": run["account_id"], "state": "running",
             "claim": run["claim"]}, {"$set": {"lease_until": utcnow() + (lease or LEASE)}})
        return found.matched_count == 1

    def finish(self, run, counts, error=None):
        now = utcnow()
        changes = {"state": "failed" if error else "succeeded", "finished_at": now,
                   "duration_seconds": round((now - run["started_at"]).total_seconds(), 3),
                   "counts": counts, "error": error}
        self.runs.update_one({"_id": run["_id"], "account_id": run["account_id"],
                              "claim": run.get("claim")},
                             {"$set": changes, "$unset": {"active": "", "lease_until": ""}})
        return dict(run, **changes)

    def get(self, account_id, run_id):
        run = self.runs.find_one({"_id": run_id, "account_id": account_id})
        if run is None:
            raise NotFound(f"No sync run {run_id}.")
        return run

    def list(self, account_id, connection_id, query):
        scope = {"account_id": account_id, "connection_id": connection_id}
        if query.get("state"):
            scope["state"] = query["state"]
        return fetch_page(self.runs, scope, "queued_at", True, query.get("cursor"), query["limit"])

    def last(self, account_id, connection_id, state=None):
        scope = {"account_id": account_id, "connection_id": connection_id}
        if state:
            scope["state"] = state
        found = list(self.runs.find(scope).sort([("queued_at", -1)]).limit(1))
        return found[0] if found else None
