"""Services (nomenclature) and their prices per 1C price type, turned into price list entries.

An entry carries the price of the account's default price type and, per client category, the
price of the price type that category is mapped to (a category with no price in its type keeps the
default price, which is how the tickets service reads category prices). Only services are price
list material: goods, folders and deletion-marked items are skipped, and a service without a
default price is reported rather than listed at zero.
"""
from dataclasses import dataclass
from decimal import Decimal

from services.billing_sync.payments import money
from services.billing_sync.records import Record, as_guid
from services.shared.errors import ValidationFailed

FALLBACK_UNIT = "усл"  # what Russian price lists write for a service without a unit
MAX_CODE, MAX_NAME, MAX_UNIT = 32, 200, 20


@dataclass(frozen=True)
class Service:
    ref: str
    code: str
    name: str
    article: str
    unit: object  # a unit Ref_Key or None


@dataclass(frozen=True)
class Price:
    service: str
    price_type: str
    amount: Decimal


def parse_service(data, profile):
    """A Service, or None for a folder, a deletion-marked item or goods."""
    record = Record(profile["nomenclature.entity"], data)
    ref = record.key()
    folder = profile["nomenclature.folder"]
    if folder and record.flag(folder) or record.flag("DeletionMark"):
        return None
    if not record.is_value(profile["nomenclature.service"], profile["nomenclature.service_value"]):
        return None
    code = record.text("Code")
    if not code or len(code) > MAX_CODE:
        record.fail("Code", f"a price list code needs 1 to {MAX_CODE} characters: {code!r}")
    article_field = profile["nomenclature.article"]
    return Service(ref, code, record.text("Description")[:MAX_NAME] or code,
                   record.text(article_field) if article_field else "",
                   record.ref(profile["nomenclature.unit"]))


def parse_named(data, entity):
    """(Ref_Key, Description) of a catalog item such as a price type or a unit."""
    record = Record(entity, data)
    return record.key(), record.text("Description")


def parse_price(data, profile, number=0):
    entity = f"{profile['price.register']}_SliceLast"
    record = Record(entity, data, f"{entity}[{number}]")
    service, price_type = record.ref(profile["price.nomenclature"]), record.ref(profile["price.price_type"])
    amount = record.amount(profile["price.price"])
    if service is None or price_type is None:
        return None  # a price row for no item or no type prices nothing
    if amount < 0:
        record.fail(profile["price.price"], f"a negative price: {amount}")
    return Price(service, price_type, amount)


def resolve_price_types(choice, price_types):
    """Turn an admin's {"default": ref, "categories": {category: ref}} into Ref_Keys that exist in
    1C, naming the setting that points at a price type 1C does not have."""
    if not isinstance(choice, dict) or "default" not in choice:
        raise ValidationFailed.from_fields({"price_types.default": ["Choose the default price type."]})
    problems, categories = {}, {}
    default = _known(choice["default"], "price_types.default", price_types, problems)
    raw = choice.get("categories") or {}
    if not isinstance(raw, dict):
        problems["price_types.categories"] = ["An object of client category to price type."]
        raw = {}
    for category, ref in raw.items():
        categories[category] = _known(ref, f"price_types.categories.{category}", price_types, problems)
    if problems:
        raise ValidationFailed.from_fields(problems)
    return default, categories


def _known(value, field, price_types, problems):
    try:
        ref = as_guid(value, field)
    except ValidationFailed as err:
        problems.update(err.fields)
        return None
    if ref not in price_types:
        problems[field] = [f"1C has no price type {ref}."]
    return ref


def price_list(services, prices, units, *, default_type, category_types, currency="RUB"):
    """{"items": price list entries, "without_price": services with no default price}."""
    by_item = {}
    for price in prices:
        by_item.setdefault(price.service, {})[price.price_type] = price.amount
    items, without_price = [], []
    for service in sorted(services, key=lambda s: s.code):
        own = by_item.get(service.ref, {})
        if default_type not in own:
            without_price.append({"ref": service.ref, "code": service.code, "name": service.name})
            continue
        unit = (units.get(service.unit) or FALLBACK_UNIT)[:MAX_UNIT]
        items.append({
            "code": service.code, "name": service.name, "unit": unit,
            "price": money(own[default_type], currency),
            "category_prices": {category: money(own[ref], currency)
                                for category, ref in sorted(category_types.items()) if ref in own},
            "active": True, "onec_ref": service.ref})
    return {"items": items, "without_price": without_price}
