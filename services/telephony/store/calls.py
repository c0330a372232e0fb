"""Calls folded from their events.

Calls are written by compare-and-set on a `version` field: read the call, merge the new events
into the ones it keeps, fold, and write only if the version is still the one read. Two replicas
handling two events of one call at once cannot lose either: the loser of the race reads again
and merges its event into the winner's result. The first event of a call inserts under a unique
index on (account_id, integration_id, call_key), so two first events race the same way.
"""
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.events import create_outbox_index, publish_outboxes, relay_outbox
from services.shared.paging import fetch_page
from services.telephony.call_events import CallEvent
from services.telephony.calls import fold, merge_events, quiet_end
from services.telephony.integrations import employee_for
from services.telephony.ringing import announcements

log = logging.getLogger(__name__)

QUIET = timedelta(minutes=2)  # no change for this long: a call with every leg ended is over
ABANDON_AFTER = timedelta(hours=4)  # no change for this long: the call is over, events were lost
SWEEP_BATCH = 500
MAX_EVENTS_PER_CALL = 300  # far above any real call; keeps a flood from outgrowing a document
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class Recorded:
    """What recording events did to one call: the call as stored, the call before (None for a
    new call), and whether anything changed (False for a redelivered event). `reactions.py`
    reads the pair."""
    call: dict
    previous: dict | None
    changed: bool

    @property
    def previous_state(self):
        return None if self.previous is None else self.previous["state"]


class CallStore:
    def __init__(self, db):
        self.calls = db.calls

    @staticmethod
    def create_indexes(db):
        db.calls.create_index([("account_id", 1), ("integration_id", 1), ("call_key", 1)],
                              unique=True)
        db.calls.create_index([("account_id", 1), ("started_at", -1)])
        db.calls.create_index([("account_id", 1), ("caller", 1)])
        db.calls.create_index([("account_id", 1), ("callee", 1)])
        db.calls.create_index([("account_id", 1), ("integration_id", 1), ("settled", 1),
                               ("updated_at", 1)])
        db.calls.create_index([("reactions_pending", 1)])
        create_outbox_index(db.calls)  # call_ringing (ringing.py)

    def publish_pending(self, dispatch, account_id, service_name, limit=50):
        """Publish the account's calls' outbox entries (call_ringing) now, rather than at the
        relay's next tick. The entries are stored: if the broker fails now, the relay publishes."""
        try:
            docs = list(self.calls.find({"outbox_pending": True, "account_id": account_id},
                                        {"outbox": 1}).limit(limit))
            publish_outboxes(dispatch, self.calls, docs, service_name)
        except Exception:  # whatever the broker or the network raised; the relay retries
            log.warning("call events left to the outbox relay", exc_info=True)

    def relay(self, dispatch, service_name):
        relay_outbox(dispatch, self.calls, service_name)

    def get(self, account_id, call_id):
        call = self.calls.find_one({"_id": call_id, "account_id": account_id})
        if call is None:
            raise NotFound(f"No call {call_id}.")
        return call

    def list(self, account_id, query):
        scope = {"account_id": account_id}
        for name in ("integration_id", "state", "direction", "disposition"):
            if name in query:
                scope[name] = query[name]
        if "number" in query:
            scope["$or"] = [{"caller": query["number"]}, {"callee": query["number"]}]
        return fetch_page(self.calls, scope, "started_at", True, query.get("cursor"),
                          query["limit"], {"events": 0})

    def note_done(self, account_id, call_id, mark, ticket_id=None):
        """One intent of the call carried out (reactions are marked, never repeated); the
        ticket it went to joins the call's tickets. The fold's fields and `version` are not
        touched, so this never races with `record`."""
        update = {"$addToSet": {"reactions_done": mark}}
        if ticket_id:
            update["$addToSet"]["ticket_ids"] = ticket_id
        self.calls.update_one({"_id": call_id, "account_id": account_id}, update)

    def set_pending(self, account_id, call_id, pending):
        """Whether some intent of the call still waits for the tickets service."""
        if pending:
            change = {"$set": {"reactions_pending": True, "pending_since": utcnow()}}
        else:
            change = {"$unset": {"reactions_pending": "", "pending_since": ""}}
        self.calls.update_one({"_id": call_id, "account_id": account_id}, change)

    def pending(self, limit=SWEEP_BATCH):
        """Calls whose intents wait for the tickets service, oldest first (a timer retries them)."""
        return list(self.calls.find({"reactions_pending": True}, {"events": 0})
                    .sort([("pending_since", 1)]).limit(limit))

    def link_ticket(self, account_id, call_id, ticket_id):
        self.calls.update_one({"_id": call_id, "account_id": account_id},
                              {"$addToSet": {"ticket_ids": ticket_id}})

    def unlink_ticket(self, account_id, call_id, ticket_id):
        self.calls.update_one({"_id": call_id, "account_id": account_id},
                              {"$pull": {"ticket_ids": ticket_id}})

    def record(self, integration, events):
        """Merge `events` (of any calls of `integration`) into the stored calls."""
        by_call = {}
        for event in events:
            by_call.setdefault(event.call_key, []).append(event)
        return [self._record_call(integration, call_key, found)
                for call_key, found in by_call.items()]

    def settle_quiet_calls(self, integration, now, quiet=QUIET, abandon_after=ABANDON_AFTER):
        """Give the integration's calls that stopped changing without a final record their quiet
        end (calls.quiet_end): those whose legs all ended after `quiet`, any after
        `abandon_after`. Runs from a timer; returns what changed, for reactions and events."""
        scope = {"account_id": integration["account_id"], "integration_id": integration["_id"],
                 "settled": False, "updated_at": {"$lte": now - quiet}}
        changed = []
        for call in self.calls.find(scope, {"events": 1, "updated_at": 1}).limit(SWEEP_BATCH):
            events = [CallEvent.from_document(stored) for stored in call["events"]]
            end = quiet_end(events, abandoned=call["updated_at"] <= now - abandon_after)
            if end is not None:
                changed += [recorded for recorded in self.record(integration, [end])
                            if recorded.changed]
        return changed

    def _record_call(self, integration, call_key, events):
        account_id, integration_id = integration["account_id"], integration["_id"]
        natural = {"account_id": account_id, "integration_id": integration_id,
                   "call_key": call_key}
        for _ in range(MAX_ATTEMPTS):
            current = self.calls.find_one(natural)
            known = {} if current is None else {
                stored["key"]: CallEvent.from_document(stored) for stored in current["events"]}
            merged = merge_events(known, events)
            if current is not None and merged == known:
                return Recorded(current, current, False)
            if len(merged) > MAX_EVENTS_PER_CALL:
                raise ValidationFailed.from_fields({"events": [
                    f"A call keeps at most {MAX_EVENTS_PER_CALL} distinct events."]})
            call = fold(merged.values())
            fields = dict(call.to_document(), employee_id=employee_for(integration,
                                                                       call.extension))
            now = utcnow()
            call_id = uuid.uuid4().hex if current is None else current["_id"]
            rings = announcements(integration, account_id, call_id, known, merged, call.caller,
                                  employee_for)
            if current is None:
                created = dict(natural, **fields, _id=call_id, version=1,
                               created_at=now, updated_at=now,
                               **({"outbox": rings, "outbox_pending": True} if rings else {}))
                try:
                    self.calls.insert_one(created)
                except DuplicateKeyError:
                    continue  # another worker stored this call's first event meanwhile
                return Recorded(created, None, True)
            changes = dict(fields, version=current["version"] + 1, updated_at=now)
            applied = self.calls.update_one(
                {"_id": current["_id"], "account_id": account_id,
                 "version": current["version"]},
                {"$set": dict(changes, **({"outbox_pending": True} if rings else {})),
                 **({"$push": {"outbox": {"$each": rings}}} if rings else {})})
            if applied.matched_count:
                return Recorded(dict(current, **changes), current, True)
        raise Conflict(f"Call {call_key} kept changing; its events will be retried.")
