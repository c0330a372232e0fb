""""Test connection": read $metadata and say, entity by entity, what the sync cannot find and why.

1C lists in $metadata only what its admin included in the OData interface and what the user may
read, under the names of its configuration release. So for each group of the profile the check
reports whether the entity set is there, which mapped properties its type lacks (tabular section
rows included), and a reason an admin can act on. Properties of virtual tables (balances) are
checked when 1C describes the virtual table's type, and otherwise by the first run. Given the
connection's sale settings, the check also asks 1C for what they name (organisation, currency,
nomenclature group, accounts by code) so that a sale does not first fail when a ticket closes.
"""
import xml.etree.ElementTree as ElementTree

from services.billing_sync.adapters.base import OneCError, OneCMalformed
from services.billing_sync.sale import resolve_settings

EDM = "{http://schemas.microsoft.com/ado/2009/11/edm}"
PURPOSES = {
    "counterparty": "counterparties, matched to our clients by ИНН and КПП",
    "contract": "contracts of those counterparties",
    "payment": "incoming bank payments",
    "cash_payment": "incoming cash payments",
    "settlement": "settlement balances (who owes what on which contract)",
    "nomenclature": "services for the price list",
    "unit": "units of measure of those services",
    "price_type": "price types, mapped to client categories",
    "price": "prices per price type",
    "settlement_object": "settlement objects, which name the contract of a settlement",
    "vat_rate": "VAT rates that sale rows refer to",
    "organisation": "organisations, the seller of a sale",
    "currency": "currencies, the sale's currency",
    "nomenclature_group": "nomenclature groups, which a sale's income is booked to",
    "sale": "service sale documents created for paid works",
}
# Mapping items that hold a value rather than a property name.
VALUES = ("kind_value", "operation_value", "service_value", "closed_value", "accounts",
          "accounts_chart", "rows")
ENTITY_ITEMS = ("entity", "register")


class Metadata:
    """Entity sets and the properties of their types, as $metadata describes them."""

    def __init__(self, text):
        if "<!DOCTYPE" in text[:2000]:
            # A DOCTYPE is how entity-expansion attacks begin; 1C never sends one.
            raise OneCMalformed("1C's $metadata carries a DOCTYPE; refusing to parse it.")
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as err:
            raise OneCMalformed(f"1C's $metadata is not well-formed XML ({err}).") from None
        self.types = {}
        for schema in root.iter(f"{EDM}Schema"):
            namespace = schema.get("Namespace", "")
            for kind in ("EntityType", "ComplexType"):
                for node in schema.iter(f"{EDM}{kind}"):
                    properties = {p.get("Name"): p.get("Type") for p in node.iter(f"{EDM}Property")}
                    self.types[f"{namespace}.{node.get('Name')}"] = properties
                    self.types[node.get("Name")] = properties
        self.sets = {node.get("Name"): node.get("EntityType")
                     for node in root.iter(f"{EDM}EntitySet")}

    def properties(self, entity_set):
        return self.types.get(self.sets.get(entity_set), {})

    def row_properties(self, entity_set, section):
        """Properties of a tabular section's rows: its Collection(RowType)'s complex type."""
        declared = self.properties(entity_set).get(section) or ""
        if declared.startswith("Collection(") and declared.endswith(")"):
            return self.types.get(declared[len("Collection("):-1])
        return None


def check_connection(source, profile, sale_settings=None):
    """A report: {"ok", "profile", "error", "entities": [...], "sale_settings": {field: [why]}
    or None when no sale settings are given}; never raises for 1C's failures."""
    report = {"ok": False, "profile": profile.name, "error": None, "entities": [],
              "sale_settings": None}
    try:
        metadata = Metadata(source.metadata())
    except OneCError as err:
        report["error"] = {"kind": err.kind, "detail": err.detail}
        return report
    user = getattr(source, "user", "the sync's user")
    for group, purpose in PURPOSES.items():
        if not profile.uses(group):
            continue
        report["entities"].append(_check_group(metadata, profile, group, purpose, user))
        if group == "settlement" and profile.settles_on_accounts:
            report["entities"].append(_check_group(
                metadata, profile, "settlement", "the chart of accounts holding the settlement "
                "accounts", user, entity_key="settlement.accounts_chart"))
    report["ok"] = all(e["present"] and not e["missing_fields"] for e in report["entities"])
    if sale_settings is not None and report["ok"]:
        try:
            report["sale_settings"] = resolve_settings(source, profile, sale_settings)[1]
        except OneCError as err:
            report["sale_settings"] = {"sale": [err.detail]}
        report["ok"] = not report["sale_settings"]
    return report


def _check_group(metadata, profile, group, purpose, user, entity_key=None):
    entity_key = entity_key or next(f"{group}.{i}" for i in ENTITY_ITEMS
                                    if f"{group}.{i}" in profile.mapping)
    entity = profile[entity_key]
    entry = {"group": group, "entity": entity, "purpose": purpose, "present": entity in metadata.sets,
             "missing_fields": [], "why": None}
    if not entry["present"]:
        entry["why"] = (f"{entity} is not in $metadata: the 1C administrator has not included it "
                        "in the OData interface (the form \"Настройка стандартного интерфейса "
                        f"OData\"), user '{user}' may not read it, or this release names it "
                        f"differently (set mapping '{entity_key}').")
        if profile.assumed(entity_key):
            entry["why"] += " This default name is not from the checked reference: look it up."
        return entry
    if entity_key.endswith("accounts_chart"):
        return entry
    fields = _fields_to_check(metadata, profile, group, entity)
    for key, field, where in fields:
        if where is not None and field not in where:
            entry["missing_fields"].append({"key": key, "field": field})
    if entry["missing_fields"]:
        names = ", ".join(f"{m['field']} ('{m['key']}')" for m in entry["missing_fields"])
        entry["why"] = (f"{entity} has no {names}: this release names them differently, or they "
                        "are not published; set the mapping keys shown.")
        if any(profile.assumed(m["key"]) for m in entry["missing_fields"]):
            entry["why"] += " Some of these defaults are not from the checked reference."
    return entry


def _fields_to_check(metadata, profile, group, entity):
    """(mapping key, property, the property names it must be among or None when unknown)."""
    own = metadata.properties(entity)
    if group == "settlement":
        own = metadata.types.get(f"{entity}_Balance")
    rows = None
    if f"{group}.rows" in profile.mapping:
        section = profile[f"{group}.rows"]
        if own is not None and section not in own:
            yield f"{group}.rows", section, own
        rows = metadata.row_properties(entity, section)
    for key, field in profile.mapping.items():
        prefix, _, item = key.partition(".")
        if prefix != group or item in ENTITY_ITEMS or item in VALUES or not field:
            continue
        yield key, field, rows if item.startswith("row_") else own
