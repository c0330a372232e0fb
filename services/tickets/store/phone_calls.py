"""Calls on tickets: which calls a ticket came from or was linked to, and their recordings.

Every change is one conditional update, so a redelivered request changes nothing twice: a call
is pushed only while its id is not in `call_ids`, a recording only while its key is not in
`recording_keys`. Neither looks at the ticket's status: a recording that arrives after the
ticket was closed still reaches it, and closing is not undone by it.
"""
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import NotFound
from services.tickets.store.tickets import new_id
from services.tickets.tickets.callers import recording_comment, recording_key
from services.tickets.tickets.history import history_entry
from services.tickets.tickets.workflow import OPEN_STATUSES

CARD_TICKETS = 20
CLAIM_EXPIRES = timedelta(seconds=60)  # a filer that crashed mid-way is taken over after this
SCANNED_AT_MOST = 2000  # a client's most recent tickets; older open ones are rare and not popped


class PhoneCallStore:
    def __init__(self, db):
        self.tickets = db.tickets
        self.claims = db.call_claims

    @staticmethod
    def create_indexes(db):
        db.tickets.create_index([("account_id", 1), ("call_ids", 1)])
        db.tickets.create_index([("account_id", 1), ("contact_id", 1)])
        db.tickets.create_index([("account_id", 1), ("client_id", 1)])

    def ticket_of_call(self, account_id, call_id):
        """The first ticket the call went to, or None."""
        found = self.tickets.find({"account_id": account_id, "call_ids": call_id},
                                  {"number": 1, "status": 1}).sort([("created_at", 1)]).limit(1)
        return next(iter(found), None)

    def claim(self, account_id, call_id):
        """Whether this worker may file the call now. Two messages of one call handled at once
        (two workers, two replicas) would both find no ticket and both open one; the claim is
        one document per (account, call) under the unique `_id`, so one of them wins. The other
        comes back later (the caller retries) and finds the winner's ticket. A claim older than
        CLAIM_EXPIRES without a ticket is taken over."""
        now = utcnow()
        key = f"{account_id}|{call_id}"
        try:
            self.claims.insert_one({"_id": key, "account_id": account_id, "at": now})
            return True
        except DuplicateKeyError:
            taken = self.claims.update_one({"_id": key, "at": {"$lte": now - CLAIM_EXPIRES}},
                                           {"$set": {"at": now}})
            return bool(taken.matched_count)

    def resolve(self, account_id, reference):
        """A ticket named by its id or by its number (what a PBX passes back), or NotFound."""
        reference = str(reference)
        query = {"account_id": account_id, "_id": reference}
        if reference.isdigit() and len(reference) < 16:
            query = {"account_id": account_id,
                     "$or": [{"_id": reference}, {"number": int(reference)}]}
        found = self.tickets.find_one(query, {"_id": 1})
        if found is None:
            raise NotFound(f"No ticket {reference}.")
        return found["_id"]

    def open_ticket_of_contact(self, account_id, contact_id):
        """The contact's newest open ticket, or None."""
        found = self._open({"account_id": account_id, "contact_id": contact_id}, {"number": 1}, 1)
        return found[0] if found else None

    def open_tickets_of_client(self, account_id, client_id):
        return self._open({"account_id": account_id, "client_id": client_id},
                          {"number": 1, "title": 1, "status": 1, "priority": 1,
                           "created_at": 1}, CARD_TICKETS)

    def _open(self, scope, projection, limit):
        """Newest open tickets first. The status is checked here, not in the query: a query on
        (account, client) alone is what an index on those two answers without reading the
        account's other tickets (the embedded store takes the first index whose fields the
        query names, and (account, status) would come first). Newest first, so the walk stops
        after `limit` open ones."""
        found = []
        cursor = self.tickets.find(scope, dict(projection, status=1, created_at=1)).sort(
            [("created_at", -1)]).limit(SCANNED_AT_MOST)
        for ticket in cursor:
            if ticket["status"] in OPEN_STATUSES:
                found.append(ticket)
                if len(found) == limit:
                    break
        return found

    def attach(self, actor, ticket_id, call, recordings=()):
        """Put the call (and its ready recordings) on the ticket; True when the call was new
        there. NotFound when the ticket is not the account's."""
        now = utcnow()
        entry = history_entry(actor, now, "calls", None, {"call_id": call["call_id"]})
        applied = self.tickets.update_one(
            {"_id": ticket_id, "account_id": actor.account_id, "call_ids": {"$ne": call["call_id"]}},
            {"$push": {"call_ids": call["call_id"], "calls": dict(call, linked_at=now),
                       "history": entry},
             "$set": {"updated_at": now}})
        if not applied.matched_count:
            self._require(actor.account_id, ticket_id)
        for reference in recordings:
            self.add_recording(actor, ticket_id, call, reference)
        return bool(applied.matched_count)

    def detach(self, actor, ticket_id, call_id):
        """Take the call and its recordings' links off the ticket (the comments stay: they are
        the ticket's history)."""
        now = utcnow()
        entry = history_entry(actor, now, "calls", {"call_id": call_id}, None)
        applied = self.tickets.update_one(
            {"_id": ticket_id, "account_id": actor.account_id, "call_ids": call_id},
            {"$pull": {"call_ids": call_id, "calls": {"call_id": call_id},
                       "recordings": {"call_id": call_id}},
             "$push": {"history": entry}, "$set": {"updated_at": now}})
        if not applied.matched_count:
            self._require(actor.account_id, ticket_id)
        return bool(applied.matched_count)

    def add_recording(self, actor, ticket_id, call, reference):
        """The recording as an internal comment and a reference on the ticket, once."""
        now = utcnow()
        key = recording_key(call["call_id"], reference)
        comment = recording_comment(new_id(), actor, now, call, reference)
        applied = self.tickets.update_one(
            {"_id": ticket_id, "account_id": actor.account_id, "recording_keys": {"$ne": key}},
            {"$push": {"recording_keys": key, "comments": comment,
                       "recordings": {"call_id": call["call_id"], "reference": reference,
                                      "comment_id": comment["id"], "added_at": now}},
             "$set": {"updated_at": now}})
        if not applied.matched_count:
            self._require(actor.account_id, ticket_id)
        return bool(applied.matched_count)

    def _require(self, account_id, ticket_id):
        if not self.tickets.find_one({"_id": ticket_id, "account_id": account_id}, {"_id": 1}):
            raise NotFound(f"No ticket {ticket_id}.")
