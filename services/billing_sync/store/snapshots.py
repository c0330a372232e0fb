"""What a sync learnt from 1C, kept per entity and keyed by 1C's Ref_Key so that applying it twice
changes nothing: each contract's payment state, each payment line, the account's price list.

A payment state or price list that changed is written together with its announcement (an outbox
entry in the same document update, services/shared/events.py), so the tickets service hears of
every change even when the broker is down at that moment.
"""
import hashlib
import json
from datetime import datetime
from decimal import Decimal

from pymongo.errors import BulkWriteError

from services.shared.clock import utcnow
from services.shared.events import create_outbox_index, outbox_entry, publish_outbox, relay_outbox

CONTRACT_PAYMENT_UPDATED = "contract_payment_updated"
PRICE_LIST_UPDATED = "price_list_updated"


BATCH = 1000
DUPLICATE_KEY = 11000


def write_changes(collection, account_id, wanted, stored, *, extra_on_insert=None, update_for=None):
    """Bring `collection` to `wanted` ({_id: fields}) given what is `stored` ({_id: doc}): new
    documents go in batched inserts (one round trip, one commit on the embedded engine, per
    batch), changed ones one update each, unchanged ones not at all, so a re-run writes nothing.
    Every write is keyed by the document's id: a run cut short is completed by the next one, and
    a document another replica inserted meanwhile is no error. Returns the ids written."""
    new, written = [], []
    for doc_id, fields in wanted.items():
        current = stored.get(doc_id)
        if current is None:
            new.append(dict(fields, _id=doc_id, account_id=account_id,
                            **(extra_on_insert(doc_id) if extra_on_insert else {})))
        elif any(current.get(k) != v for k, v in fields.items()):
            update = update_for(doc_id) if update_for else {"$set": {}}
            update.setdefault("$set", {}).update(fields)
            collection.update_one({"_id": doc_id, "account_id": account_id}, update)
        else:
            continue
        written.append(doc_id)
    for start in range(0, len(new), BATCH):
        try:
            collection.insert_many(new[start:start + BATCH], ordered=False)
        except BulkWriteError as err:
            if any(e.get("code") != DUPLICATE_KEY for e in err.details.get("writeErrors", [])):
                raise
    return written


def _announcement(event_type, account_id, payload):
    # A fixed width keeps these strings in time order: the tickets service compares them.
    occurred_at = utcnow().isoformat(timespec="milliseconds") + "+00:00"
    entry = outbox_entry(event_type, dict(payload, account_id=account_id, occurred_at=occurred_at))
    return {"$push": {"outbox": entry}, "$set": {"outbox_pending": True}}, entry


class Announcing:
    """A collection whose documents carry their own announcements (an outbox, shared/events.py):
    what a run wrote is published from it, and the relay publishes what was left behind."""

    def __init__(self, collection):
        self.outboxes = collection

    def publish_pending(self, dispatch, doc_id, entries, service_name):
        publish_outbox(dispatch, self.outboxes, doc_id, entries, service_name)

    def relay(self, dispatch, service_name):
        relay_outbox(dispatch, self.outboxes, service_name)


class ContractSnapshots(Announcing):
    def __init__(self, db):
        self.snapshots = db.contract_payments
        super().__init__(self.snapshots)

    @staticmethod
    def create_indexes(db):
        db.contract_payments.create_index([("account_id", 1), ("client_id", 1)])
        create_outbox_index(db.contract_payments)

    def apply(self, account_id, states):
        """Store contracts' states, `states` being (Contract, client id, payment) triples:
        [(document id, outbox entries to publish)] for those 1C changed."""
        stored = {d["_id"]: d for d in self.snapshots.find(
            {"account_id": account_id}, {"client_id": 1, "number": 1, "payment": 1, "closed": 1})}
        wanted, payloads = {}, {}
        for contract, client_id, payment in states:
            doc_id = f"{account_id}:{contract.ref}"
            wanted[doc_id] = {"client_id": client_id, "number": contract.number, "payment": payment,
                              "closed": contract.closed}
            payloads[doc_id] = {"client_id": client_id, "payment": payment,
                                "contract": {"onec_ref": contract.ref, "number": contract.number}}
        entries = {}

        def announced(doc_id):
            update, entries[doc_id] = _announcement(CONTRACT_PAYMENT_UPDATED, account_id,
                                                    payloads[doc_id])
            update["$set"]["updated_at"] = utcnow()
            return update

        def on_insert(doc_id):
            update = announced(doc_id)
            return {"outbox": [update["$push"]["outbox"]], **update["$set"]}

        written = write_changes(self.snapshots, account_id, wanted, stored,
                                extra_on_insert=on_insert, update_for=announced)
        return [(doc_id, [entries[doc_id]]) for doc_id in written]

    def latest_of_client(self, account_id, client_id):
        """The Ref_Key of the client's most recently changed open contract (1C posts no sale on a
        closed one), else of its most recently changed one, or None."""
        found = list(self.snapshots.find({"account_id": account_id, "client_id": client_id},
                                         {"_id": 1}).sort([("closed", 1), ("updated_at", -1)])
                     .limit(1))
        return found[0]["_id"].split(":", 1)[1] if found else None

    def of_account(self, account_id, limit=1000):
        return list(self.snapshots.find({"account_id": account_id}, {"outbox": 0})
                    .sort([("number", 1)]).limit(limit))


class PaymentLedger:
    """Payment lines per client, each keyed by its 1C document and row: lifetime-value reports
    sum them by period."""

    def __init__(self, db):
        self.lines = db.payment_lines
        self.digests = db.payment_line_digests

    @staticmethod
    def create_indexes(db):
        db.payment_lines.create_index([("account_id", 1), ("client_id", 1), ("period", 1)])
        db.payment_lines.create_index([("account_id", 1), ("document", 1)])

    @staticmethod
    def _wanted(account_id, lines, client_of):
        counts, wanted = {}, {}
        for line in lines:
            counts[line.document] = counts.get(line.document, 0) + 1
            paid_on = datetime.combine(line.paid_on, datetime.min.time())
            wanted[f"{account_id}:{line.document}:{counts[line.document]}"] = {
                "client_id": client_of.get(line.counterparty), "document": line.document,
                "counterparty": line.counterparty, "contract": line.contract, "paid_on": paid_on,
                "period": paid_on.strftime("%Y-%m"), "amount": str(line.amount)}
        return wanted

    def apply(self, account_id, lines, client_of, documents=None):
        """Make `lines`, every line 1C shows, the stored ones: lines 1C no longer shows
        (unposted, deleted) stop counting. `documents`, when given, are the only ones whose
        stored lines can differ, so only theirs are read back."""
        wanted = self._wanted(account_id, lines, client_of)
        marker = {"_id": account_id, "account_id": account_id}
        digest = hashlib.sha256(json.dumps(sorted(wanted.items()), default=str).encode()).hexdigest()
        # Reading 100,000 stored lines back only to learn that nothing changed is most of a
        # quiet re-run's cost: the digest of the last set that was completely stored answers it
        # at once.
        if (self.digests.find_one(marker) or {}).get("digest") == digest:
            return
        # Whatever is written from here on no longer matches the stored digest until it is done.
        self.digests.delete_one(marker)
        if documents is None:
            stored = {d["_id"]: d for d in self.lines.find({"account_id": account_id})}
        else:
            stored, refs = {}, sorted(documents)
            for start in range(0, len(refs), BATCH):
                stored.update((d["_id"], d) for d in self.lines.find(
                    {"account_id": account_id, "document": {"$in": refs[start:start + BATCH]}}))
            wanted = {doc_id: fields for doc_id, fields in wanted.items()
                      if fields["document"] in documents}
        write_changes(self.lines, account_id, wanted, stored)
        gone = [doc_id for doc_id in stored if doc_id not in wanted]
        for start in range(0, len(gone), BATCH):
            self.lines.delete_many({"account_id": account_id,
                                    "_id": {"$in": gone[start:start + BATCH]}})
        self.digests.update_one(marker, {"$set": {"digest": digest}}, upsert=True)

    def by_period(self, account_id, client_id):
        totals = {}
        for d in self.lines.find({"account_id": account_id, "client_id": client_id}):
            totals[d["period"]] = totals.get(d["period"], Decimal(0)) + Decimal(d["amount"])
        return [{"period": p, "amount": {"amount": str(a), "currency": "RUB"}}
                for p, a in sorted(totals.items())]


class PriceListSnapshot(Announcing):
    def __init__(self, db):
        self.lists = db.price_lists
        super().__init__(self.lists)

    @staticmethod
    def create_indexes(db):
        create_outbox_index(db.price_lists)

    def apply(self, account_id, price_list):
        digest = hashlib.sha256(json.dumps(price_list, sort_keys=True, ensure_ascii=False)
                                .encode()).hexdigest()
        current = self.lists.find_one({"_id": account_id, "account_id": account_id}, {"digest": 1})
        if current and current.get("digest") == digest:
            return account_id, []
        update, entry = _announcement(PRICE_LIST_UPDATED, account_id, price_list)
        update["$set"].update(digest=digest, account_id=account_id, updated_at=utcnow(),
                              items=len(price_list["items"]))
        self.lists.update_one({"_id": account_id}, update, upsert=True)
        return account_id, [entry]
