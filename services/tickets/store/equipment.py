"""The equipment registry: kinds (a per-account catalog), items with serials and warranty, and
the public code printed on each item's QR label."""
import re
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page
from services.tickets.assets.equipment import new_public_code, serial_key
from services.tickets.names import name_key
from services.tickets.store.listing import page
from services.tickets.store.records import RecordLookups

# public_code: a label's short code (its first characters, printed under the QR code) finds the item.
EQUIPMENT_TEXT = ("manufacturer", "model", "serial_number", "inventory_number", "public_code")


class EquipmentKindStore(RecordLookups):
    collection = "kinds"

    def __init__(self, db):
        self.kinds = db.equipment_kinds

    @staticmethod
    def create_indexes(db):
        db.equipment_kinds.create_index([("account_id", 1), ("name_key", 1)], unique=True)

    def create(self, account_id, data):
        kind = dict(data, _id=uuid.uuid4().hex, account_id=account_id,
                    name_key=name_key(data["name"]), created_at=utcnow())
        try:
            self.kinds.insert_one(kind)
        except DuplicateKeyError:
            raise Conflict(f"The kind '{data['name']}' exists.", {"field": "name"}) from None
        return kind

    def list(self, account_id):
        return list(self.kinds.find({"account_id": account_id}).sort([("name_key", 1)]).limit(1000))

    def page(self, account_id, query):
        """A page of kinds by name: (kinds, next cursor)."""
        return fetch_page(self.kinds, {"account_id": account_id}, "name_key", False,
                          query.get("cursor"), query["limit"])

    def require(self, account_id, kind_id):
        if not self.kinds.find_one({"_id": kind_id, "account_id": account_id}, {"_id": 1}):
            raise ValidationFailed.from_fields({"kind_id": [f"No equipment kind {kind_id}."]})


class EquipmentStore(RecordLookups):
    collection = "equipment"

    def __init__(self, db):
        self.equipment = db.equipment
        self.serials = db.equipment_serials
        self.planned_works = db.planned_works  # filled by the maintenance issue

    @staticmethod
    def create_indexes(db):
        db.equipment.create_index([("account_id", 1), ("site_id", 1)])
        db.equipment.create_index([("account_id", 1), ("client_id", 1), ("name_key", 1)])
        db.equipment.create_index([("public_code", 1)], unique=True)

    def _claim_serial(self, account_id, data, equipment_id):
        if not data.get("serial_number"):
            return None
        key = serial_key(account_id, data["manufacturer"], data["serial_number"])
        try:
            self.serials.insert_one({"_id": key, "equipment_id": equipment_id})
        except DuplicateKeyError:
            owner = self.serials.find_one({"_id": key})
            if owner and owner["equipment_id"] != equipment_id:
                raise Conflict("This manufacturer's serial number is registered already.",
                               {"field": "serial_number", "equipment_id": owner["equipment_id"]}) from None
        return key

    def create(self, account_id, site, data):
        equipment_id = uuid.uuid4().hex
        key = self._claim_serial(account_id, data, equipment_id)
        item = dict(data, _id=equipment_id, account_id=account_id, client_id=site["client_id"],
                    site_id=site["_id"], serial_key=key, public_code=new_public_code(),
                    name_key=name_key(f"{data['manufacturer']} {data['model']}"),
                    created_at=utcnow())
        try:
            self.equipment.insert_one(item)
        except BaseException:
            if key:
                self.serials.delete_one({"_id": key, "equipment_id": equipment_id})
            raise
        return item

    def get(self, account_id, equipment_id):
        item = self.equipment.find_one({"_id": equipment_id, "account_id": account_id})
        if item is None:
            raise NotFound(f"No equipment {equipment_id}.")
        return item

    def find_by_code(self, public_code):
        return self.equipment.find_one({"public_code": public_code})

    def list(self, account_id, query):
        base = {"account_id": account_id}
        for name in ("client_id", "site_id", "kind_id", "status"):
            if name in query:
                base[name] = query[name]
        return page(self.equipment, base, query, EQUIPMENT_TEXT)

    def replace(self, account_id, equipment_id, site, data):
        current = self.get(account_id, equipment_id)
        key = self._claim_serial(account_id, data, equipment_id)
        self.equipment.update_one({"_id": equipment_id}, {"$set": dict(
            data, site_id=site["_id"], client_id=site["client_id"], serial_key=key,
            name_key=name_key(f"{data['manufacturer']} {data['model']}"))})
        if current.get("serial_key") and current["serial_key"] != key:
            self.serials.delete_one({"_id": current["serial_key"], "equipment_id": equipment_id})
        return self.get(account_id, equipment_id)

    def rotate_code(self, account_id, equipment_id):
        self.get(account_id, equipment_id)
        self.equipment.update_one({"_id": equipment_id}, {"$set": {"public_code": new_public_code()}})
        return self.get(account_id, equipment_id)

    def planned_works_of(self, account_id, equipment_id):
        return list(self.planned_works.find({"account_id": account_id, "equipment_id": equipment_id},
                                            {"_id": 0, "account_id": 0}).sort([("due_on", 1)]))

    def ids_with_number(self, account_id, text, limit):
        """Ids of the account's items whose serial or inventory number starts with `text` (any
        case)."""
        pattern = {"$regex": "^" + re.escape(text), "$options": "i"}
        found = self.equipment.find({"account_id": account_id, "$or": [
            {"serial_number": pattern}, {"inventory_number": pattern}]}, {"_id": 1}).limit(limit)
        return [item["_id"] for item in found]

    def serial_holder(self, key):
        """The id of the item holding the serial number's key (assets/equipment.py), or None."""
        owner = self.serials.find_one({"_id": key})
        return owner and owner["equipment_id"]

    def require(self, account_id, equipment_id):
        item = self.equipment.find_one({"_id": equipment_id, "account_id": account_id})
        if item is None:
            raise ValidationFailed.from_fields({"equipment_id": [f"No equipment {equipment_id} in this account."]})
        return item
