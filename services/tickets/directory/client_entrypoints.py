"""Client companies and their contacts."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.tickets.directory.hashing import hash_password
from services.tickets.directory.schemas import (ClientSchema, ClientWriteSchema, ContactSchema,
                                                ContactWriteSchema, PageQuerySchema)
from services.tickets.guard import Guard
from services.tickets.permissions import require

CLIENT, CLIENTS, CLIENT_WRITE = ClientSchema(), ClientSchema(many=True), ClientWriteSchema()
CONTACT, CONTACTS, CONTACT_WRITE = ContactSchema(), ContactSchema(many=True), ContactWriteSchema()
PAGE = PageQuerySchema()


class ClientEntrypoints(Guard):
    def _checked_client(self, actor, data):
        data = load(CLIENT_WRITE, data)
        if data["manager_id"]:
            self.store.employees.require_active(actor.account_id, [data["manager_id"]],
                                                "manager_id")
        self.store.calendars.require(actor.account_id, data.get("calendar_id"))
        return data

    @rpc(expected_exceptions=EXPECTED)
    def list_clients(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.clients.list(actor.account_id, load(PAGE, query))
        return {"items": CLIENTS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_client(self, actor, client_id):
        actor = self.authorized(actor, "directory.read")
        return CLIENT.dump(self.store.clients.get(actor.account_id, str(client_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_client(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        client = self.store.clients.create(actor.account_id, self._checked_client(actor, data))
        self.store.audit.record(actor, "client.created", "client", client["_id"])
        return CLIENT.dump(client)

    @rpc(expected_exceptions=EXPECTED)
    def replace_client(self, actor, client_id, data):
        actor = self.authorized(actor, "clients.manage")
        client = self.store.clients.replace(actor.account_id, str(client_id),
                                            self._checked_client(actor, data))
        self.store.audit.record(actor, "client.updated", "client", client["_id"],
                                fields=sorted(data))
        # The client's own targets may have changed: its open tickets follow them.
        self.store.tickets.retarget_open(actor, {"client_id": client["_id"]})
        return CLIENT.dump(client)

    @rpc(expected_exceptions=EXPECTED)
    def list_contacts(self, actor, client_id, query):
        actor = self.authorized(actor, "directory.read")
        client = self.store.clients.get(actor.account_id, str(client_id))
        docs, next_cursor = self.store.contacts.list(actor.account_id, client["_id"],
                                                     load(PAGE, query))
        return {"items": CONTACTS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_contact(self, actor, client_id, contact_id):
        actor = self.authorized(actor, "directory.read")
        return CONTACT.dump(self.store.contacts.get(actor.account_id, str(contact_id),
                                                    str(client_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_contact(self, actor, client_id, data):
        actor = self.authorized(actor, "clients.manage")
        client = self.store.clients.get(actor.account_id, str(client_id))
        data = load(CONTACT_WRITE, data)
        password = data.pop("password", None)
        if password:
            require(actor, "passwords.reset")
        contact = self.store.contacts.create(
            actor.account_id, client["_id"], data,
            password_hash=hash_password(password) if password else None)
        self.store.audit.record(actor, "contact.created", "contact", contact["_id"],
                                client_id=client["_id"], portal_access=contact["portal_access"])
        return CONTACT.dump(contact)

    @rpc(expected_exceptions=EXPECTED)
    def replace_contact(self, actor, client_id, contact_id, data):
        actor = self.authorized(actor, "clients.manage")
        data = load(CONTACT_WRITE, data)
        password = data.pop("password", None)
        if password:
            # Setting someone's password is taking over their login: admins only, like resets.
            require(actor, "passwords.reset")
        before = self.store.contacts.get(actor.account_id, str(contact_id), str(client_id))
        contact = self.store.contacts.replace(actor.account_id, before["client_id"],
                                              before["_id"], data)
        self.store.audit.record(actor, "contact.updated", "contact", contact["_id"],
                                fields=sorted(data),
                                portal_access=[before["portal_access"], contact["portal_access"]])
        if password:
            self.store.contacts.set_password(actor.account_id, contact["_id"],
                                             hash_password(password))
            self.store.credentials.revoke_all(actor.account_id, contact["_id"],
                                              ("session", "password_reset"))
            self.store.audit.record(actor, "password.set", "contact", contact["_id"])
        return CONTACT.dump(contact)
