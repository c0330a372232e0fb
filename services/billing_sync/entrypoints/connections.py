"""The 1C connection of an account: settings, the connection check, matching and manual mapping.
Admins only (access.admin); the password goes in and never comes out."""
from nameko.rpc import rpc

from services.billing_sync.access import admin
from services.billing_sync.connection_check import check_connection as check
from services.billing_sync.connections import open_source, profile_of
from services.billing_sync.directory_link import TicketsDirectory
from services.billing_sync.schemas import (ConnectionSchema, ConnectionWriteSchema, MappingSchema,
                                           MappingWriteSchema, UnmatchedSchema)
from services.billing_sync.secrets import public_view
from services.shared.errors import EXPECTED, NotFound, ValidationFailed
from services.shared.page_schemas import PageQuerySchema
from services.shared.validation import load

CONNECTION, CONNECTION_WRITE = ConnectionSchema(), ConnectionWriteSchema()
UNMATCHED, MAPPING, MAPPING_WRITE = UnmatchedSchema(), MappingSchema(), MappingWriteSchema()
PAGE_QUERY = PageQuerySchema()
# The check answers an admin waiting on the gateway: one quick retry, not a run's patience.
CHECK_TIMEOUTS = {"connect_timeout": 5.0, "read_timeout": 20.0, "retries": 1}


def shown(connection):
    return CONNECTION.dump(public_view(connection))


class ConnectionEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def list_connections(self, actor, query):
        actor = admin(actor)
        docs, next_cursor = self.store.connections.list(actor.account_id, load(PAGE_QUERY, query))
        return {"items": [shown(c) for c in docs], "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def create_connection(self, actor, data):
        actor = admin(actor)
        data = load(CONNECTION_WRITE, data)
        if not data["password"]:
            raise ValidationFailed.from_fields({"password": ["The 1C user's password is required."]})
        connection = shown(self.store.connections.create(actor.account_id, data))
        self._audit_connection(actor, "onec_connection.created", connection)
        return connection

    @rpc(expected_exceptions=EXPECTED)
    def get_connection(self, actor, connection_id):
        actor = admin(actor)
        return shown(self.store.connections.get(actor.account_id, str(connection_id)))

    @rpc(expected_exceptions=EXPECTED)
    def replace_connection(self, actor, connection_id, data):
        actor = admin(actor)
        data = load(CONNECTION_WRITE, data)
        connection = shown(self.store.connections.replace(actor.account_id, str(connection_id),
                                                          data))
        self._audit_connection(actor, "onec_connection.updated", connection,
                               password_changed=bool(data.get("password")))
        return connection

    @rpc(expected_exceptions=EXPECTED)
    def delete_connection(self, actor, connection_id):
        actor = admin(actor)
        self.store.connections.delete(actor.account_id, str(connection_id))
        self.audit(actor, "onec_connection.deleted", "onec_connection", str(connection_id))
        return None

    @rpc(expected_exceptions=EXPECTED)
    def check_connection(self, actor, connection_id):
        """What $metadata lacks for the profile; 1C's failures are in the report, not raised."""
        actor = admin(actor)
        connection = self.store.connections.get(actor.account_id, str(connection_id))
        with open_source(connection, **CHECK_TIMEOUTS) as source:
            return check(source, profile_of(connection), connection.get("sale"))

    @rpc(expected_exceptions=EXPECTED)
    def unmatched(self, actor, connection_id):
        actor = admin(actor)
        self.store.connections.get(actor.account_id, str(connection_id))
        report = self.store.mappings.report(actor.account_id) or {
            "run_id": None, "at": None, "matched": 0, "unmatched_clients": [],
            "unmatched_counterparties": []}
        return UNMATCHED.dump(report)

    @rpc(expected_exceptions=EXPECTED)
    def set_mapping(self, actor, connection_id, client_id, data):
        """Map a client to a counterparty by hand; the next run applies it."""
        actor = admin(actor)
        self.store.connections.get(actor.account_id, str(connection_id))
        data = load(MAPPING_WRITE, data)
        clients = TicketsDirectory(self.tickets, actor.account_id).clients()
        if str(client_id) not in {c["id"] for c in clients}:
            raise NotFound(f"No client {client_id}.")
        self.store.mappings.set_manual(actor.account_id, str(client_id), data["ref"])
        self.audit(actor, "onec_mapping.set", "onec_connection", str(connection_id),
                   client_id=str(client_id), ref=data["ref"])
        return MAPPING.dump({"client_id": str(client_id), "manual_ref": data["ref"],
                             "ref": self.store.mappings.current(actor.account_id).get(str(client_id))})

    def _audit_connection(self, actor, action, connection, **details):
        # The password is never in the entry: whether it changed, at most.
        self.audit(actor, action, "onec_connection", connection["id"], url=connection.get("url"),
                   user=connection.get("user"), profile=connection.get("profile"), **details)
