"""Service levels (tiers sold as packages) and the clients' contracts."""
import uuid

from pymongo.errors import DuplicateKeyError

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.paging import fetch_page
from services.tickets.names import name_key


class ServiceLevelStore:
    def __init__(self, db):
        self.levels = db.service_levels

    @staticmethod
    def create_indexes(db):
        db.service_levels.create_index([("account_id", 1), ("name_key", 1)], unique=True)

    def create(self, account_id, data):
        level = dict(data, _id=uuid.uuid4().hex, account_id=account_id,
                     name_key=name_key(data["name"]), created_at=utcnow())
        try:
            self.levels.insert_one(level)
        except DuplicateKeyError:
            raise Conflict(f"A service level named '{data['name']}' exists.", {"field": "name"}) from None
        return level

    def get(self, account_id, level_id):
        level = self.levels.find_one({"_id": level_id, "account_id": account_id})
        if level is None:
            raise NotFound(f"No service level {level_id}.")
        return level

    def list(self, account_id, query):
        """A page of service levels by name: (levels, next cursor)."""
        return fetch_page(self.levels, {"account_id": account_id}, "name_key", False,
                          query.get("cursor"), query["limit"])

    def replace(self, account_id, level_id, data):
        self.get(account_id, level_id)
        try:
            self.levels.update_one({"_id": level_id},
                                   {"$set": dict(data, name_key=name_key(data["name"]))})
        except DuplicateKeyError:
            raise Conflict(f"A service level named '{data['name']}' exists.", {"field": "name"}) from None
        return self.get(account_id, level_id)

    def summaries(self, account_id, level_ids):
        """{id: level} of the levels named, with their names and personal managers."""
        found = self.levels.find({"account_id": account_id, "_id": {"$in": sorted(level_ids)}},
                                 {"name": 1, "personal_manager": 1})
        return {level["_id"]: level for level in found}

    def require(self, account_id, level_id):
        if not self.levels.find_one({"_id": level_id, "account_id": account_id}, {"_id": 1}):
            raise ValidationFailed.from_fields({"service_level_id": [f"No service level {level_id}."]})


class ContractStore:
    def __init__(self, db):
        self.contracts = db.contracts

    @staticmethod
    def create_indexes(db):
        db.contracts.create_index([("account_id", 1), ("number", 1)], unique=True)
        db.contracts.create_index([("account_id", 1), ("client_id", 1)])

    def create(self, account_id, data):
        contract = dict(data, _id=uuid.uuid4().hex, account_id=account_id, created_at=utcnow())
        try:
            self.contracts.insert_one(contract)
        except DuplicateKeyError:
            raise Conflict(f"Contract number '{data['number']}' is taken.", {"field": "number"}) from None
        return contract

    def get(self, account_id, contract_id):
        contract = self.contracts.find_one({"_id": contract_id, "account_id": account_id})
        if contract is None:
            raise NotFound(f"No contract {contract_id}.")
        return contract

    def list(self, account_id, query):
        """A page of contracts by number, of one client when the query names it."""
        condition = {"account_id": account_id}
        if query.get("client_id"):
            condition["client_id"] = query["client_id"]
        return fetch_page(self.contracts, condition, "number", False, query.get("cursor"),
                          query["limit"])

    def of_client(self, account_id, client_id):
        return list(self.contracts.find({"account_id": account_id, "client_id": client_id}))

    def replace(self, account_id, contract_id, data):
        self.get(account_id, contract_id)
        try:
            self.contracts.update_one({"_id": contract_id}, {"$set": data})
        except DuplicateKeyError:
            raise Conflict(f"Contract number '{data['number']}' is taken.", {"field": "number"}) from None
        return self.get(account_id, contract_id)

    def set_payment(self, account_id, contract_id, payment):
        self.get(account_id, contract_id)
        self.contracts.update_one({"_id": contract_id}, {"$set": {"payment": payment}})
        return self.get(account_id, contract_id)
