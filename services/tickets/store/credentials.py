"""Credentials in MongoDB: API tokens, sessions and reset tokens (kept as digests, see
directory/hashing.py), and the guard against guessing."""
import secrets
import uuid
from datetime import timedelta

from pymongo import ReturnDocument

from services.shared.clock import utcnow
from services.shared.errors import NotFound, Throttled
from services.shared.paging import fetch_page
from services.tickets.directory.hashing import digest

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# A count outlives neither its window nor its lock (each write starts both anew).
KEPT_FOR = max(FAILURE_WINDOW, LOCKOUT)


class CredentialStore:
    """Tokens of kind api_token, session and password_reset, each bound to one account and actor."""

    def __init__(self, db):
        self.credentials = db.credentials

    @staticmethod
    def create_indexes(db):
        db.credentials.create_index([("digest", 1)], unique=True)
        db.credentials.create_index([("account_id", 1), ("actor.id", 1)])

    def issue(self, account_id, actor_ref, kind, ttl, name=None, created_by=None):
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        doc = {"_id": uuid.uuid4().hex, "digest": digest(secret), "kind": kind, "name": name,
               "account_id": account_id, "actor": actor_ref, "created_at": now,
               "expires_at": now + ttl, "revoked_at": None, "created_by": created_by}
        self.credentials.insert_one(doc)
        return secret, doc

    def find_valid(self, secret, kinds):
        doc = self.credentials.find_one({"digest": digest(secret)})
        if doc is None or doc["kind"] not in kinds or doc["revoked_at"] is not None:
            return None
        if doc["expires_at"] <= utcnow():
            return None
        return doc

    def get(self, account_id, credential_id):
        doc = self.credentials.find_one({"_id": credential_id, "account_id": account_id})
        if doc is None:
            raise NotFound(f"No credential {credential_id}.")
        return doc

    def list(self, account_id, query, actor_id=None):
        """A page of API tokens, newest first: (tokens, next cursor)."""
        condition = {"account_id": account_id, "kind": "api_token"}
        if actor_id:
            condition["actor.id"] = actor_id
        return fetch_page(self.credentials, condition, "created_at", True, query.get("cursor"),
                          query["limit"])

    def spend(self, credential_id):
        """Revoke a credential that is still valid; False when somebody else revoked it first."""
        result = self.credentials.update_one({"_id": credential_id, "revoked_at": None},
                                             {"$set": {"revoked_at": utcnow()}})
        return result.modified_count == 1

    def revoke(self, credential_id):
        self.credentials.update_one({"_id": credential_id, "revoked_at": None},
                                    {"$set": {"revoked_at": utcnow()}})

    def revoke_all(self, account_id, actor_id, kinds, keep=None):
        query = {"account_id": account_id, "actor.id": actor_id, "kind": {"$in": list(kinds)},
                 "revoked_at": None}
        if keep:
            query["_id"] = {"$ne": keep}
        self.credentials.update_many(query, {"$set": {"revoked_at": utcnow()}})


class LoginGuard:
    """Throttling and lockout: MAX_FAILURES failed attempts within FAILURE_WINDOW lock the key
    (a login, or a person changing their password) for LOCKOUT, whatever password comes next.

    An attempt is counted before its password is checked (`reserve`), so parallel guesses all
    count and none of them is checked once the limit is reached; a success forgets the count.
    """

    def __init__(self, db):
        self.attempts = db.login_attempts

    @staticmethod
    def create_indexes(db):
        # Keyed by _id; a count whose window and lock are over is deleted (TTL), not kept forever.
        db.login_attempts.create_index("expires_at", expireAfterSeconds=0)

    def check(self, key):
        doc = self.attempts.find_one({"_id": key})
        if doc and doc.get("locked_until") and doc["locked_until"] > utcnow():
            wait = int((doc["locked_until"] - utcnow()).total_seconds()) + 1
            raise Throttled("Too many failed attempts; try again later.", {"retry_after": str(wait)})

    def reserve(self, key):
        """Count this attempt before its password is checked; Throttled when the key is locked
        or when as many attempts as allowed are already counted (in flight or failed)."""
        self.check(key)
        doc = self._count(key)
        if doc["failures"] > MAX_FAILURES:
            self._lock(key)
            self.check(key)

    def failed(self, key, reserved=False):
        """A failed attempt (counted now unless `reserved` counted it); True when it locked."""
        doc = self.attempts.find_one({"_id": key}) if reserved else self._count(key)
        if doc and doc["failures"] >= MAX_FAILURES:
            self._lock(key)
            return True
        return False

    def succeeded(self, key):
        """Forget the count, unless a lock is on (a parallel guess may have set it meanwhile)."""
        self.attempts.delete_one({"_id": key, "locked_until": {"$not": {"$gt": utcnow()}}})

    def _count(self, key):
        now = utcnow()
        doc = self.attempts.find_one_and_update(
            {"_id": key}, {"$inc": {"failures": 1}, "$setOnInsert": {"first_at": now},
                           "$set": {"expires_at": now + KEPT_FOR}},
            upsert=True, return_document=ReturnDocument.AFTER)
        if doc.get("first_at") is None or now - doc["first_at"] >= FAILURE_WINDOW:
            # The window is over (or a lock just ended): this attempt opens a new one.
            doc = self.attempts.find_one_and_update(
                {"_id": key, "first_at": doc.get("first_at")},
                {"$set": {"failures": 1, "first_at": now}},
                return_document=ReturnDocument.AFTER) or doc
        return doc

    def _lock(self, key):
        now = utcnow()
        self.attempts.update_one({"_id": key}, {"$set": {
            "locked_until": now + LOCKOUT, "failures": 0, "first_at": None,
            "expires_at": now + KEPT_FOR}})
