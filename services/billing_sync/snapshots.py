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

from services.billing_sync.payments import PaymentLine
from services.shared.clock import utcnow
from services.shared.events import create_outbox_index, outbox_entry

CONTRACT_PAYMENT_UPDATED = "contract_payment_updated"
PRICE_LIST_UPDATED = "price_list_updated"


def _announcement(event_type, account_id, payload):
    entry = outbox_entry(event_type, dict(payload, account_id=account_id,
                                          occurred_at=utcnow().isoformat() + "+00:00"))
    return {"$push": {"outbox": entry}, "$set": {"outbox_pending": True}}, entry


class ContractSnapshots:
    def __init__(self, db):
        self.snapshots = db.contract_payments

    @staticmethod
    def create_indexes(db):
        db.contract_payments.create_index([("account_id", 1), ("client_id", 1)])
        create_outbox_index(db.contract_payments)

    def apply(self, account_id, contract, client_id, payment):
        """Store one contract's state: (document id, outbox entries to publish), no entries when
        1C said nothing new."""
        doc_id = f"{account_id}:{contract.ref}"
        current = self.snapshots.find_one({"_id": doc_id, "account_id": account_id})
        facts = {"client_id": client_id, "number": contract.number, "payment": payment}
        if current and all(current.get(k) == v for k, v in facts.items()):
            return doc_id, []
        update, entry = _announcement(CONTRACT_PAYMENT_UPDATED, account_id, {
            "client_id": client_id, "contract": {"onec_ref": contract.ref, "number": contract.number},
            "payment": payment})
        update["$set"].update(facts, updated_at=utcnow(), account_id=account_id)
        self.snapshots.update_one({"_id": doc_id}, update, upsert=True)
        return doc_id, [entry]

    def latest_of_client(self, account_id, client_id):
        """The Ref_Key of the client's most recently changed contract, or None."""
        found = list(self.snapshots.find({"account_id": account_id, "client_id": client_id},
                                         {"_id": 1}).sort([("updated_at", -1)]).limit(1))
        return found[0]["_id"].split(":", 1)[1] if found else None

    def of_account(self, account_id, limit=1000):
        return list(self.snapshots.find({"account_id": account_id}, {"outbox": 0})
                    .sort([("number", 1)]).limit(limit))


class PaymentLedger:
    """Payment lines per client, each keyed by its 1C document and row: lifetime-value reports
    sum them by period, and incremental runs add to what earlier runs read."""

    def __init__(self, db):
        self.lines = db.payment_lines

    @staticmethod
    def create_indexes(db):
        db.payment_lines.create_index([("account_id", 1), ("client_id", 1), ("period", 1)])
        db.payment_lines.create_index([("account_id", 1), ("seen_by", 1)])

    def apply(self, account_id, lines, client_of, run_id):
        counts = {}
        for line in lines:
            counts[line.document] = counts.get(line.document, 0) + 1
            doc_id = f"{account_id}:{line.document}:{counts[line.document]}"
            paid_on = datetime.combine(line.paid_on, datetime.min.time())
            self.lines.update_one({"_id": doc_id}, {"$set": {
                "account_id": account_id, "client_id": client_of.get(line.counterparty),
                "document": line.document, "counterparty": line.counterparty,
                "contract": line.contract, "paid_on": paid_on, "period": paid_on.strftime("%Y-%m"),
                "amount": str(line.amount), "seen_by": run_id}}, upsert=True)

    def forget_unseen(self, account_id, run_id):
        """After a full read: lines 1C no longer shows (unposted, deleted) stop counting."""
        self.lines.delete_many({"account_id": account_id, "seen_by": {"$ne": run_id}})

    def known(self, account_id):
        return [PaymentLine(d["document"], d["counterparty"], d["contract"], d["paid_on"].date(),
                            Decimal(d["amount"]))
                for d in self.lines.find({"account_id": account_id})]

    def by_period(self, account_id, client_id):
        totals = {}
        for d in self.lines.find({"account_id": account_id, "client_id": client_id}):
            totals[d["period"]] = totals.get(d["period"], Decimal(0)) + Decimal(d["amount"])
        return [{"period": p, "amount": {"amount": str(a), "currency": "RUB"}}
                for p, a in sorted(totals.items())]


class PriceListSnapshot:
    def __init__(self, db):
        self.lists = db.price_lists

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
