"""Price lists and paid one-off works: plain rules over Decimal, plus the price list's store.

A price item has a default price and may have its own price per client category; a work line on a
ticket takes the price for the ticket's client's category at the moment it is recorded.
"""
import uuid
from decimal import ROUND_HALF_UP, Decimal

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed

CENTS = Decimal("0.01")


def price_for(item, category):
    """The item's price (Money dict) for a client category, falling back to its default price."""
    return (item.get("category_prices") or {}).get(category or "", item["price"])


def line_amount(quantity, unit_price):
    amount = (Decimal(quantity) * Decimal(unit_price["amount"])).quantize(CENTS, ROUND_HALF_UP)
    return {"amount": str(amount), "currency": unit_price["currency"]}


def total(lines):
    """The sum of the lines' amounts; None without lines; Conflict when currencies differ."""
    if not lines:
        return None
    currencies = {line["amount"]["currency"] for line in lines}
    if len(currencies) > 1:
        raise Conflict("A ticket's works must be priced in one currency.",
                       {"currencies": sorted(currencies)})
    amount = sum(Decimal(line["amount"]["amount"]) for line in lines)
    return {"amount": str(amount.quantize(CENTS)), "currency": currencies.pop()}


def work_line(item, quantity, unit_price, performed_by, note):
    return {"id": uuid.uuid4().hex, "price_item_id": item["_id"], "code": item["code"],
            "name": item["name"], "unit": item["unit"], "quantity": str(Decimal(quantity)),
            "unit_price": unit_price, "amount": line_amount(quantity, unit_price),
            "performed_by": performed_by, "at": utcnow(), "note": note}


class PriceListStore:
    def __init__(self, db):
        self.items = db.price_items

    @staticmethod
    def create_indexes(db):
        db.price_items.create_index([("account_id", 1), ("code", 1)], unique=True)

    def create(self, account_id, data):
        item = dict(data, _id=uuid.uuid4().hex, account_id=account_id, created_at=utcnow())
        try:
            self.items.insert_one(item)
        except DuplicateKeyError:
            raise Conflict(f"Code '{data['code']}' is taken.", {"field": "code"}) from None
        return item

    def get(self, account_id, item_id):
        item = self.items.find_one({"_id": item_id, "account_id": account_id})
        if item is None:
            raise NotFound(f"No price item {item_id}.")
        return item

    def by_code(self, account_id, code, field="code"):
        item = self.items.find_one({"account_id": account_id, "code": code, "active": True})
        if item is None:
            raise ValidationFailed.from_fields({field: [f"No active price item '{code}'."]})
        return item

    def list(self, account_id):
        return list(self.items.find({"account_id": account_id}).sort([("code", 1)]).limit(5000))

    def replace(self, account_id, item_id, data):
        self.get(account_id, item_id)
        try:
            self.items.update_one({"_id": item_id}, {"$set": data})
        except DuplicateKeyError:
            raise Conflict(f"Code '{data['code']}' is taken.", {"field": "code"}) from None
        return self.get(account_id, item_id)
