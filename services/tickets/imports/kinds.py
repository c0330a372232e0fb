"""What differs between importing clients, contacts, sites and equipment: the parent a row names,
the account-wide rules checked before writing (portal logins, serial numbers), and the store calls
that write a row. imports/importing.py drives them."""
from services.shared.errors import Conflict, ValidationFailed
from services.shared.validation import load
from services.tickets.assets.equipment import serial_key
from services.tickets.assets.schemas import (EquipmentKindWriteSchema, EquipmentWriteSchema,
                                             SiteWriteSchema)
from services.tickets.directory.logins import portal_login
from services.tickets.directory.schemas import ClientWriteSchema, ContactWriteSchema
from services.tickets.imports.columns import CLIENTS, CONTACTS, EQUIPMENT, SITES
from services.tickets.names import name_key

NEW_KIND = "(new)"  # kind_id of a row whose kind is created when the import is applied


class RecordImport:
    """What every kind does unless it says otherwise."""
    name = registry_kind = columns = schema = None
    parent = None   # (registry kind of the parent, label) for kinds that name one
    moves = False   # whether a row may move its record to another parent

    stored_in = parent_in = None  # the Store's parts that keep the records, their parents

    def records(self, store):
        return getattr(store, self.stored_in)

    def parents(self, store):
        return getattr(store, self.parent_in) if self.parent_in else None

    def resolve(self, store, account_id, rows):
        """Find what each row refers to, before it is validated; errors go on the row."""
        if self.parent:
            resolve_parents(self, store, account_id, rows)

    def check(self, store, account_id, rows):
        """Account-wide rules on the validated rows."""

    def same(self, row):
        return all(row.existing.get(name) == value for name, value in row.data.items())


class ClientImport(RecordImport):
    name, registry_kind, columns, schema = "clients", "client", CLIENTS, ClientWriteSchema()

    stored_in = "clients"

    def create(self, store, account_id, row):
        return store.clients.create(account_id, row.stored())["_id"]

    def replace(self, store, account_id, row):
        store.clients.replace(account_id, row.existing["_id"], row.stored())


class ContactImport(RecordImport):
    name, registry_kind, columns, schema = "contacts", "contact", CONTACTS, ContactWriteSchema()
    parent = ("client", "client")

    stored_in = "contacts"
    parent_in = "clients"

    def check(self, store, account_id, rows):
        """A portal login e-mail signs one person in to the account."""
        holders = {}
        for row in rows:
            login = portal_login(row.data)
            if not login:
                continue
            mine = row.existing["_id"] if row.existing else None
            owner = store.logins.find(account_id, login)
            if owner and owner.get("id") != mine:
                row.fail("emails", f"{login} already signs somebody in to this account.")
            elif login in holders:
                row.fail("emails", f"Row {holders[login]} gives {login} portal access too.")
            else:
                holders[login] = row.number

    def create(self, store, account_id, row):
        return store.contacts.create(account_id, row.parent["_id"], row.stored())["_id"]

    def replace(self, store, account_id, row):
        store.contacts.replace(account_id, row.parent["_id"], row.existing["_id"], row.stored())


class SiteImport(RecordImport):
    name, registry_kind, columns, schema = "sites", "site", SITES, SiteWriteSchema()
    parent = ("client", "client")

    stored_in = "sites"
    parent_in = "clients"

    def create(self, store, account_id, row):
        return store.sites.create(account_id, row.parent["_id"], row.stored())["_id"]

    def replace(self, store, account_id, row):
        store.sites.replace(account_id, row.existing["_id"], row.stored())


class EquipmentImport(RecordImport):
    name, registry_kind, columns, schema = "equipment", "equipment", EQUIPMENT, EquipmentWriteSchema()
    parent = ("site", "site")
    moves = True  # an item may move to another site (and client), as through the API

    stored_in = "equipment"
    parent_in = "sites"

    def resolve(self, store, account_id, rows):
        super().resolve(store, account_id, rows)
        kinds = {k["name_key"]: k["_id"] for k in store.equipment_kinds.list(account_id)}
        first_spelling = {}  # name key of a kind to create -> the spelling of its first row
        for row in rows:
            if row.parent:
                row.refs["site_id"] = row.parent["_id"]
            name = row.cells.get("kind")
            if name is None:
                if "kind" in row.cells:
                    row.refs["kind_id"] = None
                continue
            try:
                name = load(EquipmentKindWriteSchema(), {"name": name})["name"]
            except ValidationFailed as failed:
                for message in failed.fields.get("name", []):
                    row.fail("kind", message)
                continue
            if name_key(name) not in kinds:
                kinds[name_key(name)] = NEW_KIND
                first_spelling[name_key(name)] = name
            row.refs["kind_id"] = kinds[name_key(name)]
            row.new_kind = first_spelling.get(name_key(name))

    def check(self, store, account_id, rows):
        """Serial numbers are unique per manufacturer within the account."""
        holders = {}
        for row in rows:
            if not row.data.get("serial_number"):
                continue
            key = serial_key(account_id, row.data["manufacturer"], row.data["serial_number"])
            mine = row.existing["_id"] if row.existing else None
            owner = store.equipment.serial_holder(key)
            if owner and owner != mine:
                row.fail("serial_number", "This manufacturer's serial number is registered already "
                                          f"(equipment {owner}).")
            elif key in holders:
                row.fail("serial_number", f"Row {holders[key]} has the same manufacturer and serial number.")
            else:
                holders[key] = row.number

    def same(self, row):
        return row.new_kind is None and super().same(row)

    def create(self, store, account_id, row):
        return store.equipment.create(account_id, row.parent, row.stored())["_id"]

    def replace(self, store, account_id, row):
        store.equipment.replace(account_id, row.existing["_id"], row.parent, row.stored())

    @staticmethod
    def ensure_kind(store, account_id, name):
        """The id of the kind named `name`, created when missing (by this import or a rival)."""
        try:
            return store.equipment_kinds.create(account_id, {"name": name})["_id"]
        except Conflict:
            wanted = name_key(name)
            return next(k["_id"] for k in store.equipment_kinds.list(account_id)
                        if k["name_key"] == wanted)


IMPORTS = {k.name: k for k in (ClientImport(), ContactImport(), SiteImport(), EquipmentImport())}


def resolve_parents(kind, store, account_id, rows):
    """Each row's parent (client or site) by its external id or its id, within the account."""
    registry_kind, label = kind.parent
    by_external, by_id = kind.columns.parents
    parents = kind.parents(store)
    found = {}

    def fetch(record_id):
        if record_id not in found:
            found[record_id] = parents.find(account_id, record_id)
        return found[record_id]

    for row in rows:
        external_id, record_id = row.cells.get(by_external), row.cells.get(by_id)
        if external_id and record_id:
            row.fail(by_external, f"Name the {label} by its external id or by its id, not both.")
        elif external_id:
            entry = store.external_ids.find(account_id, registry_kind, external_id)
            row.parent = fetch(entry["record_id"]) if entry and entry["record_id"] else None
            if row.parent is None:
                row.fail(by_external, f"No {label} with external id {external_id} in this account.")
        elif record_id:
            row.parent = fetch(record_id)
            if row.parent is None:
                row.fail(by_id, f"No {label} {record_id} in this account.")
        else:
            row.fail(by_external, f"Name the {label}: its external id (or its id).")
        if row.parent and row.existing and not kind.moves \
                and row.existing["client_id"] != row.parent["_id"]:
            row.fail(by_external if external_id else by_id,
                     f"This {kind.registry_kind} belongs to another client; an import does not move it.")
