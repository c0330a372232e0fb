"""Names for the ids a page shows (a ticket's people, group, client, contact, site, equipment),
found for every kind at once, within one account: the pages make one call for all of them
instead of one per id."""
from marshmallow import Schema, fields, validate

MAX_IDS = 200
IDS = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                  validate=validate.Length(max=MAX_IDS))


class NamesQuerySchema(Schema):
    employees = IDS
    groups = IDS
    clients = IDS
    contacts = IDS
    sites = IDS
    equipment = IDS


def equipment_label(item):
    """What people call an item: make and model, and its serial number when it has one."""
    label = " ".join(part for part in (item.get("manufacturer"), item.get("model")) if part)
    serial = item.get("serial_number")
    return f"{label} ({serial})" if serial else label


# kind -> (the store part holding it, the fields read, the label of a record)
KINDS = {
    "employees": ("employees", {"name": 1}, lambda doc: doc["name"]),
    "groups": ("groups", {"name": 1}, lambda doc: doc["name"]),
    "clients": ("clients", {"name": 1}, lambda doc: doc["name"]),
    "contacts": ("contacts", {"name": 1}, lambda doc: doc["name"]),
    "sites": ("sites", {"name": 1}, lambda doc: doc["name"]),
    "equipment": ("equipment", {"manufacturer": 1, "model": 1, "serial_number": 1},
                  equipment_label),
}


def names_of(store, account_id, query):
    """{kind: {id: name}} for the ids of `query` that exist in the account; others are left out."""
    found = {}
    for kind, (part, fields, label) in KINDS.items():
        records = getattr(store, part).named(account_id, sorted(set(query.get(kind) or ())), fields)
        found[kind] = {record["_id"]: label(record) for record in records}
    return found
