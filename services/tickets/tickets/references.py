"""A ticket's references to clients, contacts and employees, checked within the actor's account."""
from services.shared.errors import ValidationFailed


def check_references(store, account_id, data, current=None):
    """Validate client_id, contact_id, assignee_id and assignee_group_id in `data` (a create or a
    change set).

    A contact given without a client brings its client along; a contact of another client than
    the one given is refused. Returns the data to store.
    """
    data = dict(data)
    if data.get("client_id"):
        store.clients.require(account_id, data["client_id"])
    _place(store, account_id, data, dict(current or {}, **data))
    if current and "client_id" in data and data["client_id"] != current.get("client_id"):
        _keep_places_of(store, account_id, data, current)
    merged = dict(current or {}, **data)
    contact_id = merged.get("contact_id")
    if contact_id and ("contact_id" in data or "client_id" in data):
        contact = store.contacts.find(account_id, contact_id, {"client_id": 1})
        if contact is None:
            raise ValidationFailed.from_fields({"contact_id": ["No such contact in this account."]})
        if merged.get("client_id") and merged["client_id"] != contact["client_id"]:
            # The field the caller changed is the one that does not fit.
            field = "contact_id" if "contact_id" in data else "client_id"
            raise ValidationFailed.from_fields({field: ["This contact works for another client."]})
        if "contact_id" in data:
            data["client_id"] = contact["client_id"]
        elif not merged.get("client_id"):
            raise ValidationFailed.from_fields({"client_id": [
                "The ticket's contact works for a client: clear the contact too."]})
    if data.get("assignee_id"):
        store.employees.require_active(account_id, [data["assignee_id"]], "assignee_id")
    if data.get("assignee_group_id"):
        store.groups.require(account_id, data["assignee_group_id"], "assignee_group_id")
    return data


def _place(store, account_id, data, merged):
    """Equipment brings its site, a site brings its client; each must agree with what is given."""
    if data.get("equipment_id"):
        item = store.equipment.require(account_id, data["equipment_id"])
        if merged.get("site_id") and merged["site_id"] != item["site_id"] and "site_id" in data:
            raise ValidationFailed.from_fields({"equipment_id": ["This equipment stands at another site."]})
        data["site_id"] = merged["site_id"] = item["site_id"]
    if data.get("site_id"):
        site = store.sites.require(account_id, data["site_id"])
        if merged.get("client_id") and merged["client_id"] != site["client_id"]:
            field = "equipment_id" if data.get("equipment_id") else "site_id"
            raise ValidationFailed.from_fields({field: ["This belongs to another client."]})
        data["client_id"] = merged["client_id"] = site["client_id"]


def _keep_places_of(store, account_id, data, current):
    """A ticket moved to another client cannot keep the previous client's site or equipment."""
    for field in ("site_id", "equipment_id"):
        if field in data or not current.get(field):
            continue
        places = store.sites if field == "site_id" else store.equipment
        place = places.find(account_id, current[field], {"client_id": 1})
        if place and place["client_id"] != data["client_id"]:
            raise ValidationFailed.from_fields({"client_id": [
                f"The ticket's {field[:-3]} belongs to its current client: change or clear it too."]})
