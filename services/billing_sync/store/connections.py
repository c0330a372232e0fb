"""An account's 1C connection: where 1C answers, as whom, with which profile, and how often.

One connection per account (a unique index), addressed by its own id so that an id guessed from
another account answers 404 like one that does not exist. The password is stored sealed
(`secrets.PasswordBox`); only connections.open_source unseals it, to build an OData client.
"""
import uuid

from pymongo.errors import DuplicateKeyError

from services.billing_sync.connections import next_run, stored_fields, validate_settings
from services.billing_sync.secrets import SEALED_FIELD, PasswordBox
from services.shared.clock import utcnow
from services.shared.paging import fetch_page
from services.shared.errors import Conflict, NotFound


class ConnectionStore:
    def __init__(self, db):
        self.connections = db.connections

    @staticmethod
    def create_indexes(db):
        db.connections.create_index([("account_id", 1)], unique=True)
        db.connections.create_index([("next_run_at", 1)])

    def get(self, account_id, connection_id):
        found = self.connections.find_one({"_id": connection_id, "account_id": account_id})
        if found is None:
            raise NotFound(f"No 1C connection {connection_id}.")
        return found

    def of_account(self, account_id):
        return self.connections.find_one({"account_id": account_id})

    def list(self, account_id, query):
        """A page of the account's connections, oldest first: (connections, next cursor)."""
        return fetch_page(self.connections, {"account_id": account_id}, "created_at", False,
                          query.get("cursor"), query["limit"])

    def create(self, account_id, data, box=None):
        validate_settings(data)
        now = utcnow()
        connection = dict(stored_fields(data), _id=uuid.uuid4().hex, account_id=account_id,
                          created_at=now, updated_at=now, next_run_at=next_run(data, now))
        connection[SEALED_FIELD] = (box or PasswordBox()).seal(data["password"])
        try:
            self.connections.insert_one(connection)
        except DuplicateKeyError:
            raise Conflict("This account has a 1C connection already; change it instead.",
                           {"field": "account_id"}) from None
        return connection

    def replace(self, account_id, connection_id, data, box=None):
        current = self.get(account_id, connection_id)
        validate_settings(data)
        changes = dict(stored_fields(data), updated_at=utcnow(),
                       next_run_at=next_run(data, utcnow()))
        # An omitted password keeps the stored one: admins never see it to send it back.
        if data.get("password"):
            changes[SEALED_FIELD] = (box or PasswordBox()).seal(data["password"])
        self.connections.update_one({"_id": current["_id"], "account_id": account_id},
                                    {"$set": changes})
        return self.get(account_id, connection_id)

    def delete(self, account_id, connection_id):
        current = self.get(account_id, connection_id)
        self.connections.delete_one({"_id": current["_id"], "account_id": account_id})

    def due(self, now, limit=50):
        """Connections whose scheduled run is due."""
        return list(self.connections.find({"next_run_at": {"$lte": now}}).limit(limit))

    def schedule_next(self, connection, now):
        self.connections.update_one(
            {"_id": connection["_id"], "account_id": connection["account_id"]},
            {"$set": {"next_run_at": next_run(connection, now)}})
