"""Client companies and their contacts."""
import uuid

from services.shared.clock import utcnow
from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.tickets.directory.logins import portal_login
from services.tickets.names import name_key
from services.tickets.store.listing import page, text_condition
from services.tickets.store.people import LoginRegistry
from services.tickets.store.records import RecordLookups

CLIENT_TEXT = ("name", "legal_name", "inn")
CONTACT_TEXT = ("name", "phones", "emails", "position")


class ClientStore(RecordLookups):
    collection = "clients"

    def __init__(self, db):
        self.clients = db.clients

    @staticmethod
    def create_indexes(db):
        db.clients.create_index([("account_id", 1), ("name_key", 1)])
        db.clients.create_index([("account_id", 1), ("inn", 1), ("kpp", 1)])

    def create(self, account_id, data):
        client = dict(data, _id=uuid.uuid4().hex, account_id=account_id,
                      name_key=name_key(data["name"]), active=True, created_at=utcnow())
        self.clients.insert_one(client)
        return client

    def get(self, account_id, client_id):
        client = self.clients.find_one({"_id": client_id, "account_id": account_id})
        if client is None:
            raise NotFound(f"No client {client_id}.")
        return client

    def list(self, account_id, query):
        return page(self.clients, {"account_id": account_id}, query, CLIENT_TEXT)

    def replace(self, account_id, client_id, data):
        self.get(account_id, client_id)
        self.clients.update_one({"_id": client_id}, {"$set": dict(data, name_key=name_key(data["name"]))})
        return self.get(account_id, client_id)

    def ids_named(self, account_id, text, limit):
        """Ids of the account's clients whose name or legal name contains `text`."""
        found = self.clients.find(dict(text_condition(text, ("name", "legal_name")),
                                       account_id=account_id), {"_id": 1}).limit(limit)
        return [client["_id"] for client in found]

    def require(self, account_id, client_id, field="client_id"):
        if not self.clients.find_one({"_id": client_id, "account_id": account_id}, {"_id": 1}):
            raise ValidationFailed.from_fields({field: [f"No client {client_id} in this account."]})


class ContactStore(RecordLookups):
    collection = "contacts"

    def __init__(self, db):
        self.contacts = db.contacts
        self.logins = LoginRegistry(db)

    @staticmethod
    def create_indexes(db):
        db.contacts.create_index([("account_id", 1), ("client_id", 1), ("name_key", 1)])
        db.contacts.create_index([("account_id", 1), ("phones", 1)])

    def _ref(self, contact_id):
        return {"kind": "contact", "id": contact_id}

    def create(self, account_id, client_id, data, password_hash=None):
        contact = dict(data, _id=uuid.uuid4().hex, account_id=account_id, client_id=client_id,
                       name_key=name_key(data["name"]), password_hash=password_hash,
                       created_at=utcnow())
        login = portal_login(contact)
        if login:
            self.logins.claim(account_id, login, self._ref(contact["_id"]))
        try:
            self.contacts.insert_one(contact)
        except BaseException:
            if login:
                self.logins.release(account_id, login, self._ref(contact["_id"]))
            raise
        return contact

    def with_phone(self, account_id, number, limit):
        """Active contacts with the number (E.164), by name, without their password hashes."""
        return list(self.contacts.find(
            {"account_id": account_id, "phones": number, "active": {"$ne": False}},
            {"password_hash": 0}).sort([("name_key", 1)]).limit(limit))

    def ids_with_phone(self, account_id, number, limit):
        """Ids of the account's contacts (active or not) with the number (E.164)."""
        found = self.contacts.find({"account_id": account_id, "phones": number}, {"_id": 1})
        return [contact["_id"] for contact in found.limit(limit)]

    def get(self, account_id, contact_id, client_id=None):
        query = {"_id": contact_id, "account_id": account_id}
        if client_id is not None:
            query["client_id"] = client_id
        contact = self.contacts.find_one(query)
        if contact is None:
            raise NotFound(f"No contact {contact_id}.")
        return contact

    def list(self, account_id, client_id, query):
        return page(self.contacts, {"account_id": account_id, "client_id": client_id}, query,
                    CONTACT_TEXT, projection={"password_hash": 0})

    def replace(self, account_id, client_id, contact_id, data):
        current = self.get(account_id, contact_id, client_id)
        old_login, new_login = portal_login(current), portal_login(data)
        ref = self._ref(contact_id)
        if new_login and new_login != old_login:
            self.logins.claim(account_id, new_login, ref)
        # Applied only if the login-bearing fields are still those read; the loser gives back.
        applied = self.contacts.update_one(
            {"_id": contact_id, "emails": current.get("emails", []),
             "portal_access": current.get("portal_access", "none")},
            {"$set": dict(data, name_key=name_key(data["name"]))})
        if not applied.matched_count:
            if new_login and new_login != old_login:
                self.logins.release(account_id, new_login, ref)
            raise Conflict("The contact changed meanwhile; try again.", {"field": "emails"})
        if old_login and old_login != new_login:
            self.logins.release(account_id, old_login, ref)
        return self.get(account_id, contact_id)

    def set_password(self, account_id, contact_id, password_hash):
        self.contacts.update_one({"_id": contact_id, "account_id": account_id},
                                 {"$set": {"password_hash": password_hash}})
