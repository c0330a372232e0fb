"""Events that are never lost between a write and its publication, and handled once.

Publishing (the outbox): a store that changes a document and must announce it pushes an outbox
entry into the same document in the same update, and sets `outbox_pending` (`outbox_fields`), so
the change and its announcement are one atomic write. The entrypoint then publishes the entries
and clears them (`publish_outbox`); a timer on the service (`relay_outbox`) publishes whatever a
crash or a broker outage left behind, finding it through an index on `outbox_pending` rather than
scanning every document. Delivery is
therefore at least once: two replicas relaying at the same moment may both publish an entry, and
consumers dedupe on `event_id`.

Consuming: `reliable_handler` declares a nameko event handler with reliable delivery and requeue on
error, skips events already handled (an inbox keyed by the event id), retries a failing event a few
times with a growing pause, and then stores it as a dead letter an admin can see and replay instead
of requeueing it forever (dead_letters.py, dead_letter_entrypoints.py).
"""
import functools
import logging
import uuid
from datetime import timedelta

import eventlet
from nameko.events import event_handler
from nameko.extensions import DependencyProvider
from prometheus_client import Counter
from pymongo import UpdateOne

from services.shared.clock import utcnow
from services.shared.dead_letters import DEAD, Replay, account_of
from services.shared.storage import open_database

log = logging.getLogger(__name__)

EVENTS_PUBLISHED = Counter("events_published_total", "Events published from an outbox.",
                           ["service", "event_type", "path"])
EVENTS_HANDLED = Counter("events_handled_total", "Events received by a reliable handler.",
                         ["service", "event_type", "outcome"])
RELAY_AGE = timedelta(seconds=5)
MAX_ATTEMPTS = 5


def outbox_entry(event_type, payload):
    """An entry to push into a document's `outbox` array together with the change it announces."""
    event_id = uuid.uuid4().hex
    return {"id": event_id, "type": event_type, "created_at": utcnow(),
            "payload": dict(payload, event_id=event_id)}


def create_outbox_index(collection):
    collection.create_index([("outbox_pending", 1)], sparse=True)


def publish_outbox(dispatch, collection, doc_id, entries, service_name, path="direct"):
    publish_outboxes(dispatch, collection, [{"_id": doc_id, "outbox": entries}], service_name, path)


def publish_outboxes(dispatch, collection, docs, service_name, path="direct"):
    """Publish the outbox entries of `docs` (each with `_id` and `outbox`) and clear them, in
    two bulk writes at most whatever the number of documents."""
    docs = [doc for doc in docs if doc.get("outbox")]
    if not docs:
        return
    for doc in docs:
        for entry in doc["outbox"]:
            dispatch(entry["type"], entry["payload"])
            EVENTS_PUBLISHED.labels(service_name, entry["type"], path).inc()
    sent = [(doc["_id"], [entry["id"] for entry in doc["outbox"]]) for doc in docs]
    # Usually an outbox holds exactly what was published: empty it and drop the flag in one write.
    cleared = collection.bulk_write([UpdateOne(
        {"_id": doc_id, "outbox": {"$size": len(ids)}, "outbox.id": {"$all": ids}},
        {"$set": {"outbox": []}, "$unset": {"outbox_pending": ""}}) for doc_id, ids in sent],
        ordered=False)
    if cleared.matched_count < len(sent):
        # Something was added meanwhile to some: take out what went, their flag stays for the
        # relay (pulling from an outbox emptied above changes nothing).
        collection.bulk_write([
            UpdateOne({"_id": doc_id}, {"$pull": {"outbox": {"id": {"$in": ids}}}})
            for doc_id, ids in sent], ordered=False)


def announce(publish_pending, dispatch, doc, service_name):
    """Publish what a write put in `doc`'s outbox (or in a list of documents' outboxes) with a
    store's `publish_pending`. The write is done: if the broker fails now, the caller still gets
    its answer and the relay publishes later."""
    try:
        publish_pending(dispatch, doc, service_name)
    except Exception:  # whatever the broker or the network raised; the relay retries
        ids = [d["_id"] for d in doc] if isinstance(doc, list) else doc["_id"]
        log.warning("events left to the outbox relay", exc_info=True, extra={"document_id": ids})


def relay_outbox(dispatch, collection, service_name, limit=200):
    """Publish entries older than RELAY_AGE: those an entrypoint did not get to publish itself."""
    cutoff = utcnow() - RELAY_AGE
    for doc in collection.find({"outbox_pending": True}, {"outbox": 1}).limit(limit):
        entries = sorted((e for e in doc["outbox"] if e["created_at"] <= cutoff),
                         key=lambda e: e["created_at"])
        if entries:
            publish_outbox(dispatch, collection, doc["_id"], entries, service_name, path="relay")
        elif not doc["outbox"]:
            collection.update_one({"_id": doc["_id"], "outbox": {"$size": 0}},
                                  {"$unset": {"outbox_pending": ""}})


class Inbox(DependencyProvider):
    """What a consuming service has handled, what keeps failing, and its dead letters."""

    def __init__(self, service_name):
        self.service_name = service_name

    def setup(self):
        db = open_database(self.service_name)
        self.processed, self.failures = db.inbox_processed, db.inbox_failures
        self.dead_letters = db.dead_letters
        self.dead_letters.create_index([("event_id", 1)], unique=True)

    def get_dependency(self, worker_ctx):
        return self

    def seen(self, key):
        return self.processed.find_one({"_id": key}) is not None

    def mark(self, key):
        self.processed.update_one({"_id": key}, {"$setOnInsert": {"at": utcnow()}}, upsert=True)
        self.failures.delete_one({"_id": key})

    def fail(self, key):
        """Count a failed attempt; returns how many there have been."""
        doc = self.failures.find_one_and_update(
            {"_id": key}, {"$inc": {"attempts": 1}, "$set": {"at": utcnow()}},
            upsert=True, return_document=True)
        return doc["attempts"]

    def bury(self, key, source, event_type, payload, error):
        # Keyed by the inbox key, so that the admin API (dead_letters.py) names a letter by it;
        # the account at the top level is what that API scopes and indexes by.
        self.dead_letters.update_one(
            {"event_id": key},
            {"$setOnInsert": {"_id": key, "source": source, "event_type": event_type,
                              "account_id": account_of(payload), "payload": payload,
                              "error": error, "at": utcnow(), "state": DEAD}},
            upsert=True)
        self.processed.update_one({"_id": key}, {"$set": {"at": utcnow(), "dead": True}},
                                  upsert=True)
        self.failures.delete_one({"_id": key})


def reliable_handler(source_service, event_type, inbox_attr="inbox", max_attempts=MAX_ATTEMPTS):
    """Decorate a service method `(self, payload)`; the service declares `inbox = Inbox(name)`."""

    def decorate(method):
        @functools.wraps(method)
        def handle(self, payload):
            inbox = getattr(self, inbox_attr)
            event_id = payload.get("event_id") if isinstance(payload, dict) else None
            if not isinstance(event_id, str) or not event_id:
                # Cannot be deduplicated, so cannot be handled safely: straight to dead letters.
                key = f"{source_service}.{event_type}.no-id.{uuid.uuid4().hex}"
                inbox.bury(key, source_service, event_type, payload, "The event carries no event_id.")
                EVENTS_HANDLED.labels(inbox.service_name, event_type, "dead").inc()
                return None
            key = f"{source_service}.{event_type}.{event_id}"
            if inbox.seen(key):
                EVENTS_HANDLED.labels(inbox.service_name, event_type, "duplicate").inc()
                return None
            try:
                result = method(self, payload)
            except Exception as exc:
                attempts = inbox.fail(key)
                if attempts >= max_attempts:
                    log.exception("event dead-lettered", extra={"event_key": key})
                    inbox.bury(key, source_service, event_type, payload, repr(exc))
                    EVENTS_HANDLED.labels(inbox.service_name, event_type, "dead").inc()
                    return None
                EVENTS_HANDLED.labels(inbox.service_name, event_type, "retry").inc()
                # A requeued message comes back at once: pause so that retries are spread out.
                eventlet.sleep(min(0.2 * 2 ** attempts, 5))
                raise
            inbox.mark(key)
            EVENTS_HANDLED.labels(inbox.service_name, event_type, "ok").inc()
            return result

        # What an admin's replay of this event's dead letter runs: the method itself, without
        # the inbox's bookkeeping (the replay keeps its own, dead_letters.py).
        handle.dead_letter_replay = Replay(source_service, event_type, method)
        return event_handler(source_service, event_type, reliable_delivery=True,
                             requeue_on_error=True)(handle)

    return decorate
