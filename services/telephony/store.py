"""The telephony database: PBX integrations per account, and calls folded from their events.

Calls are written by compare-and-set on a `version` field: read the call, merge the new events
into the ones it keeps, fold, and write only if the version is still the one read. Two replicas
handling two events of one call at once cannot lose either: the loser of the race reads again
and merges its event into the winner's result. The first event of a call inserts under a unique
index on (account_id, integration_id, call_key), so two first events race the same way.
"""
import secrets as tokens
import uuid
from dataclasses import dataclass
from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.events import create_outbox_index
from services.shared.paging import fetch_page
from services.telephony.adapters.base import DialectSettings
from services.telephony.call_events import CallEvent
from services.telephony.calls import fold, merge_events, quiet_end
from services.telephony.numbers import Numbering
from services.telephony.ringing import announcements
from services.telephony.schemas import DIALECT_SECRETS, GENERATED_SECRETS

WEBHOOK_PREFIX = "/api/v1/webhooks/telephony"
QUIET = timedelta(minutes=2)  # no change for this long: a call with every leg ended is over
ABANDON_AFTER = timedelta(hours=4)  # no change for this long: the call is over, events were lost
SWEEP_BATCH = 500
MAX_EVENTS_PER_CALL = 300  # far above any real call; keeps a flood from outgrowing a document
MAX_ATTEMPTS = 20


class IntegrationStore:
    def __init__(self, db):
        self.integrations = db.integrations

    @staticmethod
    def create_indexes(db):
        db.integrations.create_index([("account_id", 1), ("name", 1)])

    def get(self, account_id, integration_id):
        integration = self.integrations.find_one({"_id": integration_id,
                                                  "account_id": account_id})
        if integration is None:
            raise NotFound(f"No PBX integration {integration_id}.")
        return integration

    def list(self, account_id, query):
        scope = {"account_id": account_id}
        if "enabled" in query:
            scope["enabled"] = query["enabled"]
        return fetch_page(self.integrations, scope, "name", False, query.get("cursor"),
                          query["limit"])

    def create(self, account_id, data):
        integration_id = uuid.uuid4().hex
        now = utcnow()
        chosen = _secrets(data["dialect"], data["secrets"], {})
        integration = dict(data, _id=integration_id, account_id=account_id, secrets=chosen,
                           webhook_path=_webhook_path(account_id, integration_id, chosen),
                           version=1, created_at=now, updated_at=now)
        self.integrations.insert_one(integration)
        return integration

    def replace(self, account_id, integration_id, data):
        current = self.get(account_id, integration_id)
        # Keep the stored secrets when none are given and the dialect stays the same.
        kept = current["secrets"] if data["dialect"] == current["dialect"] else {}
        chosen = _secrets(data["dialect"], data["secrets"], kept)
        changes = dict(data, secrets=chosen, version=current["version"] + 1, updated_at=utcnow(),
                       webhook_path=_webhook_path(account_id, integration_id, chosen))
        applied = self.integrations.update_one(
            {"_id": integration_id, "account_id": account_id, "version": current["version"]},
            {"$set": changes})
        if not applied.matched_count:
            raise Conflict("The integration changed meanwhile; reload it and try again.",
                           {"field": "version"})
        return dict(current, **changes)

    def webhook_secrets(self, integration_id):
        """What the webhook edge caches to verify requests while this service may be down: the
        owning account, the dialect and the secrets of an enabled integration. NotFound for an
        unknown or disabled one, so nothing is queued for it."""
        integration = self.integrations.find_one({"_id": integration_id, "enabled": True},
                                                 {"account_id": 1, "dialect": 1, "secrets": 1})
        if integration is None:
            raise NotFound(f"No enabled PBX integration {integration_id}.")
        return {"account_id": integration["account_id"], "integration_id": integration_id,
                "dialect": integration["dialect"], "secrets": integration["secrets"]}

    def enabled(self):
        """Every enabled integration, for the quiet-end sweep."""
        return list(self.integrations.find({"enabled": True}))

    def webhook_target(self, account_id, integration_id):
        """What the webhook edge needs: the dialect's name and the secrets to verify with.
        An unknown or disabled integration is NotFound, so nothing is queued for it."""
        integration = self.integrations.find_one(
            {"_id": integration_id, "account_id": account_id, "enabled": True},
            {"dialect": 1, "secrets": 1})
        if integration is None:
            raise NotFound(f"No enabled PBX integration {integration_id}.")
        return integration["dialect"], integration["secrets"]


def dialect_settings(integration):
    """How the integration's requests are read: its numbering and time zone."""
    return DialectSettings(numbering=Numbering(region=integration["region"],
                                               area_code=integration.get("area_code")),
                           time_zone=integration["time_zone"])


def employee_for(integration, extension):
    """The employee the integration maps `extension` to, if any."""
    return next((entry["employee_id"] for entry in integration["extensions"]
                 if entry["extension"] == extension), None) if extension else None


def _secrets(dialect, given, kept):
    chosen = dict(kept)
    chosen.update(given or {})
    for name in DIALECT_SECRETS[dialect]:
        if name not in chosen and name in GENERATED_SECRETS:
            chosen[name] = tokens.token_urlsafe(24)
    missing = [name for name in DIALECT_SECRETS[dialect] if name not in chosen]
    if missing:
        raise ValidationFailed.from_fields({f"secrets.{name}": ["Required for this dialect."]
                                            for name in missing})
    return {name: chosen[name] for name in DIALECT_SECRETS[dialect]}


def _webhook_path(account_id, integration_id, chosen):
    # The integration id is random (uuid4), so the path needs no account: the edge learns the
    # account from the integration, as the tickets service learns it from a token's digest.
    path = f"{WEBHOOK_PREFIX}/{integration_id}"
    return f"{path}/{chosen['token']}" if "token" in chosen else path


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


class CallbackClaims:
    """One callback ticket per caller per window: the first missed call claims the caller's
    number until `at + window`; missed calls inside that window find the claim taken.

    The claim is one document per (account, number) under a unique index, taken by an upsert
    that only matches an expired claim: when a live claim exists the upsert tries to insert,
    the unique index refuses, and the caller learns who holds the claim. Atomic on MongoDB
    without a transaction.
    """

    def __init__(self, db):
        self.claims = db.callback_claims

    @staticmethod
    def create_indexes(db):
        db.callback_claims.create_index([("account_id", 1), ("number", 1)], unique=True)

    def claim(self, account_id, number, call_id, at, window_minutes):
        """(True, claim) when `call_id` holds the claim (again, for a redelivery), else
        (False, the live claim of an earlier call)."""
        try:
            taken = self.claims.find_one_and_update(
                {"account_id": account_id, "number": number, "until": {"$lte": at}},
                {"$set": {"call_id": call_id, "since": at,
                          "until": at + timedelta(minutes=window_minutes)}},
                upsert=True, return_document=ReturnDocument.AFTER)
            return True, taken
        except DuplicateKeyError:
            live = self.claims.find_one({"account_id": account_id, "number": number})
            return live["call_id"] == call_id, live


class TelephonyStore:
    """What the service's workers get: the telephony database's stores."""

    def __init__(self, db):
        self.integrations = IntegrationStore(db)
        self.calls = CallStore(db)
        self.callbacks = CallbackClaims(db)

    @staticmethod
    def create_indexes(db):
        IntegrationStore.create_indexes(db)
        CallStore.create_indexes(db)
        CallbackClaims.create_indexes(db)

