"""Dead letters: events (and telephony's webhook messages) a consumer gave up on, kept so that an
admin can see them, replay them once the cause is fixed, or discard them.

`Inbox.bury` (events.py) writes a letter: keyed by the inbox key, with the source, the event
type, the account the payload belongs to, the payload and the error. What follows is here,
without nameko:

    dead --replay--> replaying --the handler ran--> replayed
                               --the handler failed--> dead (with the new error)
    dead --discard--> discarded (kept for audit)

A replay starts with one conditional write from `dead` to `replaying`, so two replays at once
never both run the handler; a replay whose process died mid-way is claimable again after
REPLAY_LEASE. The inbox's mark on the event (`dead`, set when it was buried) is cleared so that
the handler runs; success leaves the ordinary processed mark, so a late redelivery of the
original event changes nothing twice.

Who reaches which letters: an account's admins those of their account; letters whose payload
names no account (malformed events) only the installation owner, who reaches nothing else.
"""
import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from pymongo import ReturnDocument

from services.shared.errors import Conflict, Forbidden, NotFound
from services.shared.paging import fetch_page, period

DEAD, REPLAYING, REPLAYED, DISCARDED = "dead", "replaying", "replayed", "discarded"
STATES = (DEAD, REPLAYING, REPLAYED, DISCARDED)
REPLAY_LEASE = timedelta(minutes=5)
HIDDEN = "[hidden]"
# Key words that mark a value as a credential, wherever it sits in a payload.
SECRET_WORDS = frozenset({"secret", "secrets", "token", "password", "passwd", "sign", "signature",
                          "authorization", "cookie", "credential", "credentials", "apikey"})


@dataclass(frozen=True)
class Replay:
    """How a service handles again what became a dead letter: `handler(service, payload)` for
    letters of `source` and `event_type`; `hidden` names payload paths (dotted) never shown."""
    source: str
    event_type: str
    handler: Callable
    hidden: tuple = ()


def replays(source, event_type, hidden=()):
    """Declare a service method `(self, payload)` as the replay of letters that were not buried
    by `reliable_handler` (which declares its own)."""

    def mark(method):
        method.dead_letter_replay = Replay(source, event_type, method, tuple(hidden))
        return method

    return mark


def replay_for(service_class, source, event_type):
    """The Replay a service class declares for these letters, or None."""
    return _replays_of(service_class).get((source, event_type))


@functools.lru_cache(maxsize=None)
def _replays_of(service_class):
    # Looked up for every letter of a page; a class's methods do not change once defined.
    declared = (getattr(getattr(service_class, name, None), "dead_letter_replay", None)
                for name in dir(service_class))
    return {(found.source, found.event_type): found for found in declared
            if isinstance(found, Replay)}


def account_of(payload):
    account_id = payload.get("account_id") if isinstance(payload, dict) else None
    return account_id if isinstance(account_id, str) and account_id else None


def scope_of(actor):
    """The filter of the letters `actor` reaches; Forbidden for anybody but admins and the owner."""
    if actor.kind == "owner":
        return {"account_id": None}
    if actor.is_employee and "admin" in actor.roles:
        return {"account_id": actor.account_id}
    raise Forbidden("Only an account's admins reach its dead letters.",
                    {"permission": "dead_letters.manage"})


def is_secret(key):
    words = str(key).lower().replace("-", "_").split("_")
    return bool(SECRET_WORDS.intersection(words)) or "api_key" in str(key).lower()


def shown(payload, hidden=(), path=""):
    """The payload as the API shows it: credentials and the `hidden` paths replaced by HIDDEN."""
    if isinstance(payload, dict):
        shown_payload = {}
        for key, value in payload.items():
            where = f"{path}.{key}" if path else str(key)
            secret = is_secret(key) or where in hidden
            shown_payload[key] = HIDDEN if secret else shown(value, hidden, where)
        return shown_payload
    if isinstance(payload, list):
        return [shown(item, hidden, path) for item in payload]
    return payload


def list_filter(scope, query):
    # Letters buried before they were keyed by their inbox key have ObjectId ids, which a page's
    # cursor cannot carry (docs/conventions.md, "Dead letters").
    found = dict(scope, _id={"$type": "string"})
    for field in ("state", "event_type", "source"):
        if query.get(field):
            found[field] = query[field]
    for condition in period("at", query):
        found.update(condition)
    return found


class DeadLetters:
    """A service's dead letters and the inbox marks a replay touches."""

    def __init__(self, database):
        self.letters = database.dead_letters
        self.processed = database.inbox_processed

    @staticmethod
    def create_indexes(database):
        database.dead_letters.create_index([("account_id", 1), ("at", -1)])

    def list(self, scope, query):
        return fetch_page(self.letters, list_filter(scope, query), "at", True,
                          query.get("cursor"), query["limit"])

    def get(self, scope, letter_id):
        letter = self.letters.find_one(dict(scope, _id=letter_id))
        if letter is None:
            raise NotFound(f"No dead letter {letter_id}.")
        return letter

    def claim_replay(self, scope, letter_id, *, by, now):
        """Take a dead letter (or one whose replay was abandoned) into `replaying`; Conflict when
        it is in any other state, NotFound when `scope` does not reach it."""
        claimable = {"$or": [{"state": DEAD},
                             {"state": REPLAYING, "replay_until": {"$lt": now}}]}
        return self._move(scope, letter_id, claimable, {
            "state": REPLAYING, "replay_until": now + REPLAY_LEASE, "replay_by": by}, "replayed")

    def reopen(self, letter):
        """Clear the inbox's dead mark; False when the event was handled meanwhile."""
        self.processed.delete_one({"_id": letter["_id"], "dead": True})
        return self.processed.find_one({"_id": letter["_id"]}) is None

    def replayed(self, letter, *, by, now, outcome="handled"):
        self.processed.update_one({"_id": letter["_id"]}, {"$setOnInsert": {"at": now}},
                                  upsert=True)
        return self._finish(letter, {"state": REPLAYED, "replayed_at": now, "replayed_by": by},
                            {"at": now, "by": by, "outcome": outcome})

    def replay_failed(self, letter, *, by, now, error):
        self.processed.update_one({"_id": letter["_id"]}, {"$set": {"at": now, "dead": True}},
                                  upsert=True)
        return self._finish(letter, {"state": DEAD, "error": error},
                            {"at": now, "by": by, "outcome": "failed", "error": error})

    def discard(self, scope, letter_id, *, by, now):
        return self._move(scope, letter_id, {"state": DEAD}, {
            "state": DISCARDED, "discarded_at": now, "discarded_by": by}, "discarded")

    def _move(self, scope, letter_id, condition, changes, done):
        """Set `changes` on the letter if it meets `condition`, in one write; Conflict naming its
        state when it does not."""
        letter = self.letters.find_one_and_update(
            {"$and": [dict(scope, _id=letter_id), condition]}, {"$set": changes},
            return_document=ReturnDocument.AFTER)
        if letter is None:
            state = self.get(scope, letter_id)["state"]
            raise Conflict(f"Only a dead letter is {done}; this one is {state}.", {"state": state})
        return letter

    def _finish(self, letter, changes, entry):
        # Only while this replay still holds the letter: past its lease another may have taken it.
        return self.letters.find_one_and_update(
            {"_id": letter["_id"], "state": REPLAYING},
            {"$set": changes, "$unset": {"replay_until": "", "replay_by": ""},
             "$push": {"replays": entry}},
            return_document=ReturnDocument.AFTER) or self.letters.find_one({"_id": letter["_id"]})
