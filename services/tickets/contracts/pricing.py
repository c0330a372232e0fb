"""Price lists and paid one-off works: plain rules over Decimal (the price list is kept by
store/pricing.py).

A price item has a default price and may have its own price per client category; a work line on a
ticket takes the price for the ticket's client's category at the moment it is recorded.
"""
import uuid
from decimal import ROUND_HALF_UP, Decimal

from services.shared.clock import utcnow
from services.shared.errors import Conflict

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
