"""Export jobs: a closed ticket's paid works on their way into 1C as a posted sale.

One job per ticket (a unique index), created with its idempotency key before 1C is ever called,
so a ticket closed, reopened and closed again is still sold once. A job is claimed under a lease
by one replica; a failed try is retried as export_retries.py decides; a `dead` job stays
visible with its error until an admin replays it.
"""
import uuid
from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.billing_sync.export_retries import after_failure
from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound
from services.shared.paging import fetch_page

LEASE = timedelta(minutes=5)


class ExportStore:
    def __init__(self, db):
        self.jobs = db.export_jobs

    @staticmethod
    def create_indexes(db):
        db.export_jobs.create_index([("account_id", 1), ("ticket_id", 1)], unique=True)
        db.export_jobs.create_index([("state", 1), ("next_attempt_at", 1)])
        db.export_jobs.create_index([("account_id", 1), ("created_at", -1)])

    def create(self, account_id, ticket_id, ticket_number):
        """The ticket's job; the existing one when the ticket was exported or queued before."""
        job_id = uuid.uuid4().hex
        now = utcnow()
        job = {"_id": job_id, "account_id": account_id, "ticket_id": ticket_id,
               "ticket_number": ticket_number, "kind": "sale",
               "idempotency_key": f"servicedesk-{job_id}", "state": "pending", "attempts": 0,
               "next_attempt_at": now, "created_at": now, "updated_at": now,
               "onec_ref": None, "onec_number": None, "error": None, "history": []}
        try:
            self.jobs.insert_one(job)
            return job
        except DuplicateKeyError:
            return self.jobs.find_one({"account_id": account_id, "ticket_id": ticket_id})

    def claim(self):
        now = utcnow()
        return self.jobs.find_one_and_update(
            {"$or": [{"state": "pending", "next_attempt_at": {"$lte": now}},
                     {"state": "sending", "lease_until": {"$lt": now}}]},
            {"$set": {"state": "sending", "lease_until": now + LEASE, "updated_at": now}},
            sort=[("next_attempt_at", 1)], return_document=ReturnDocument.AFTER)

    def remember_ref(self, job, ref, number):
        self.jobs.update_one({"_id": job["_id"], "account_id": job["account_id"]},
                             {"$set": {"onec_ref": ref, "onec_number": number}})

    def done(self, job, sale):
        return self._finish(job, {"state": "done", "error": None, "onec_ref": sale["ref"],
                                  "onec_number": sale["number"]}, "done")

    def failed(self, job, error, permanent=False):
        changes = after_failure(job["attempts"], error, permanent=permanent, now=utcnow())
        return self._finish(job, changes, "dead" if changes["state"] == "dead" else "retry")

    def _finish(self, job, changes, outcome):
        now = utcnow()
        changes = dict(changes, updated_at=now)
        self.jobs.update_one(
            {"_id": job["_id"], "account_id": job["account_id"]},
            {"$set": changes, "$unset": {"lease_until": ""},
             "$push": {"history": {"at": now, "outcome": outcome, "error": changes.get("error")}}})
        return dict(job, **changes)

    def replay(self, account_id, job_id):
        job = self.get(account_id, job_id)
        if job["state"] != "dead":
            raise Conflict(f"Only a dead job is replayed; this one is {job['state']}.",
                           {"state": job["state"]})
        self.jobs.update_one({"_id": job_id, "account_id": account_id, "state": "dead"},
                             {"$set": {"state": "pending", "attempts": 0, "next_attempt_at": utcnow(),
                                       "updated_at": utcnow()}})
        return self.get(account_id, job_id)

    def get(self, account_id, job_id):
        job = self.jobs.find_one({"_id": job_id, "account_id": account_id})
        if job is None:
            raise NotFound(f"No export job {job_id}.")
        return job

    def list(self, account_id, query):
        scope = {"account_id": account_id}
        if query.get("state"):
            scope["state"] = query["state"]
        return fetch_page(self.jobs, scope, "created_at", True, query.get("cursor"), query["limit"])
