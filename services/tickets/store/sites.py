"""Client sites (objects): where equipment stands and engineers drive to."""
import uuid

from services.shared.clock import utcnow
from services.shared.errors import NotFound, ValidationFailed
from services.tickets.names import name_key
from services.tickets.store.listing import page
from services.tickets.store.records import RecordLookups

SITE_TEXT = ("name", "address")


class SiteStore(RecordLookups):
    collection = "sites"

    def __init__(self, db):
        self.sites = db.sites

    @staticmethod
    def create_indexes(db):
        db.sites.create_index([("account_id", 1), ("client_id", 1), ("name_key", 1)])

    def create(self, account_id, client_id, data):
        site = dict(data, _id=uuid.uuid4().hex, account_id=account_id, client_id=client_id,
                    name_key=name_key(data["name"]), created_at=utcnow())
        self.sites.insert_one(site)
        return site

    def get(self, account_id, site_id, client_id=None):
        query = {"_id": site_id, "account_id": account_id}
        if client_id is not None:
            query["client_id"] = client_id
        site = self.sites.find_one(query)
        if site is None:
            raise NotFound(f"No site {site_id}.")
        return site

    def list(self, account_id, client_id, query):
        return page(self.sites, {"account_id": account_id, "client_id": client_id}, query, SITE_TEXT)

    def replace(self, account_id, site_id, data):
        self.sites.update_one({"_id": site_id, "account_id": account_id},
                              {"$set": dict(data, name_key=name_key(data["name"]))})
        return self.get(account_id, site_id)

    def require(self, account_id, site_id, field="site_id"):
        site = self.sites.find_one({"_id": site_id, "account_id": account_id})
        if site is None:
            raise ValidationFailed.from_fields({field: [f"No site {site_id} in this account."]})
        return site
