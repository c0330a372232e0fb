"""Accounts: the tenants. Created and deactivated by the installation owner."""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound
from services.shared.paging import fetch_page


class AccountStore:
    def __init__(self, db):
        self.accounts = db.accounts

    @staticmethod
    def create_indexes(db):
        db.accounts.create_index([("slug", 1)], unique=True)

    def create(self, data):
        account = {"_id": uuid.uuid4().hex, "slug": data["slug"], "name": data["name"],
                   "time_zone": data["time_zone"], "locale": data["locale"],
                   "settings": data["settings"], "active": True, "created_at": utcnow()}
        try:
            self.accounts.insert_one(account)
        except DuplicateKeyError:
            raise Conflict(f"The account name '{data['slug']}' is taken.", {"field": "slug"}) from None
        return account

    def get(self, account_id):
        account = self.accounts.find_one({"_id": account_id})
        if account is None:
            raise NotFound(f"No account {account_id}.")
        return account

    def find(self, account_id):
        return self.accounts.find_one({"_id": account_id})

    def delete(self, account_id):
        self.accounts.delete_one({"_id": account_id})

    def find_by_slug(self, slug):
        return self.accounts.find_one({"slug": slug})

    def list(self, query):
        """A page of the installation's accounts by slug: (accounts, next cursor)."""
        return fetch_page(self.accounts, {}, "slug", False, query.get("cursor"), query["limit"])

    def update(self, account_id, changes):
        self.get(account_id)
        self.accounts.update_one({"_id": account_id}, {"$set": changes})
        return self.get(account_id)
