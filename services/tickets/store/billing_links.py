"""What the 1C sync (billing_sync) reads and changes in the tickets database: clients' INN and
KPP out, 1C's Ref_Key on clients, contracts' payment states and the price list in.

States and prices arrive as events that may be redelivered or overtake each other: a payment
state older than the one stored is ignored (`payment_synced_at`), and a price item is keyed by its
code, so applying the same event twice changes nothing.
"""
import uuid

from services.shared.clock import utcnow
from services.shared.errors import NotFound
from services.shared.validation import load
from services.tickets.contracts.schemas import PaymentSchema, PriceItemWriteSchema

PAYMENT, PRICE_ITEM = PaymentSchema(), PriceItemWriteSchema()
CLIENT_FIELDS = {"name": 1, "inn": 1, "kpp": 1, "category": 1, "onec_ref": 1}


class BillingLinks:
    def __init__(self, db):
        self.db = db

    @staticmethod
    def create_indexes(db):
        pass  # reads and writes collections whose stores declare their indexes

    def clients_for_matching(self, account_id):
        return [{"id": c["_id"], "name": c.get("name"), "inn": c.get("inn"), "kpp": c.get("kpp"),
                 "category": c.get("category"), "onec_ref": c.get("onec_ref")}
                for c in self.db.clients.find({"account_id": account_id, "active": True},
                                              CLIENT_FIELDS)]

    def set_onec_refs(self, account_id, refs):
        """{client_id: Ref_Key or None}; ids of other accounts match nothing."""
        changed = 0
        for client_id, ref in refs.items():
            changed += self.db.clients.update_one({"_id": str(client_id), "account_id": account_id},
                                             {"$set": {"onec_ref": ref}}).modified_count
        return changed

    def apply_contract_payment(self, payload):
        """The contract with the 1C contract's number and client gets its state; None when this
        account has no such contract (1C keeps contracts the help desk does not serve)."""
        account_id = payload["account_id"]
        contract = self.db.contracts.find_one({"account_id": account_id,
                                               "client_id": payload["client_id"],
                                               "number": payload["contract"]["number"]})
        if contract is None:
            return None
        state = payload["payment"]
        payment = load(PAYMENT, {"state": state["state"], "balance": state["balance"],
                                 "last_payment_on": state["last_payment_on"]})
        occurred = payload["occurred_at"]
        self.db.contracts.update_one(
            {"_id": contract["_id"], "account_id": account_id,
             "$or": [{"payment_synced_at": {"$exists": False}},
                     {"payment_synced_at": {"$lte": occurred}}]},
            {"$set": {"payment": payment, "payment_synced_at": occurred,
                      "onec_ref": payload["contract"]["onec_ref"]}})
        return contract["_id"]

    def apply_price_list(self, payload):
        """Upsert each item by code; items are validated all first so a bad one changes nothing."""
        account_id = payload["account_id"]
        items = [(load(PRICE_ITEM, {k: item[k] for k in ("code", "name", "unit", "price",
                                                          "category_prices", "active")}),
                  item["onec_ref"]) for item in payload["items"]]
        now = utcnow()
        for item, ref in items:
            self.db.price_items.update_one(
                {"account_id": account_id, "code": item["code"]},
                {"$set": dict(item, onec_ref=ref, synced_at=now),
                 "$setOnInsert": {"_id": uuid.uuid4().hex, "created_at": now}},
                upsert=True)
        return len(items)

    def ticket_for_sale(self, account_id, ticket_id):
        """A ticket's number, client and works, each work with its price item's 1C Ref_Key."""
        ticket = self.db.tickets.find_one({"_id": str(ticket_id), "account_id": account_id},
                                          {"number": 1, "client_id": 1, "status": 1,
                                           "works": 1, "onec_sale": 1})
        if ticket is None:
            raise NotFound(f"No ticket {ticket_id}.")
        works = ticket.get("works") or []
        refs = {i["_id"]: i.get("onec_ref") for i in self.db.price_items.find(
            {"account_id": account_id, "_id": {"$in": [w["price_item_id"] for w in works]}},
            {"onec_ref": 1})}
        return {"id": ticket["_id"], "number": ticket["number"],
                "client_id": ticket.get("client_id"), "status": ticket["status"],
                "onec_sale": ticket.get("onec_sale"),
                "works": [{"code": w["code"], "name": w["name"], "unit": w["unit"],
                           "quantity": w["quantity"], "unit_price": w["unit_price"],
                           "amount": w["amount"], "onec_ref": refs.get(w["price_item_id"])}
                          for w in works]}

    def set_ticket_sale(self, account_id, ticket_id, sale):
        found = self.db.tickets.update_one({"_id": str(ticket_id), "account_id": account_id},
                                      {"$set": {"onec_sale": {"ref": str(sale["ref"]),
                                                              "number": str(sale["number"])}}})
        if not found.matched_count:
            raise NotFound(f"No ticket {ticket_id}.")
