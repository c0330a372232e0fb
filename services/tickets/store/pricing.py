"""The price list in MongoDB: items unique by code per account."""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page


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

    def find_active(self, account_id, code):
        return self.items.find_one({"account_id": account_id, "code": code, "active": True})

    def list(self, account_id, query):
        """A page of the price list by code: (items, next cursor)."""
        return fetch_page(self.items, {"account_id": account_id}, "code", False,
                          query.get("cursor"), query["limit"])

    def replace(self, account_id, item_id, data):
        self.get(account_id, item_id)
        try:
            self.items.update_one({"_id": item_id}, {"$set": data})
        except DuplicateKeyError:
            raise Conflict(f"Code '{data['code']}' is taken.", {"field": "code"}) from None
        return self.get(account_id, item_id)
