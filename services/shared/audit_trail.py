"""Audit entries of the services other than tickets, into the one audit log the tickets service
keeps (GET /api/v1/audit).

A service records an entry as an `audited` event in its own `audit_outbox` collection (one
insert, after the change it describes, as the tickets service records its own entries) and
publishes it at once; a timer publishes what a broker outage left behind. The tickets service
stores each event once, keyed by its event id (services/tickets/directory/audit_intake.py).
Details must never hold a secret: callers pass names, ids and the names of changed fields.
"""
from datetime import timedelta

from marshmallow import Schema, fields
from nameko.events import EventDispatcher
from nameko.timer import timer

from services.shared.clock import utcnow
from services.shared.events import announce, create_outbox_index, outbox_entry, publish_outbox, \
    relay_outbox
from services.shared.schema_fields import UtcDateTime

AUDITED = "audited"
AUDIT_SOURCES = ("telephony", "billing_sync", "partner_bridge", "knowledge")
RELAY_SECONDS = 2
KEPT_FOR = timedelta(days=7)  # published within seconds; kept a while to look into, then expired


class ActorReferenceSchema(Schema):
    kind = fields.String(required=True)
    id = fields.String(allow_none=True, required=True)


class AuditedSchema(Schema):
    """The `audited` event's payload."""
    event_id = fields.String(required=True)
    occurred_at = UtcDateTime(required=True)
    account_id = fields.String(required=True)
    service = fields.String(required=True)
    actor = fields.Nested(ActorReferenceSchema, required=True)
    credential_id = fields.String(allow_none=True)
    action = fields.String(required=True)
    target_type = fields.String(allow_none=True)
    target_id = fields.String(allow_none=True)
    details = fields.Dict(keys=fields.String())


AUDITED_PAYLOAD = AuditedSchema()


class AuditTrail:
    """The store part: `store.audit` of a service that audits through the tickets service."""

    def __init__(self, db):
        self.outbox = db.audit_outbox

    @staticmethod
    def create_indexes(db):
        create_outbox_index(db.audit_outbox)
        db.audit_outbox.create_index("expires_at", expireAfterSeconds=0)

    def record(self, service_name, actor, action, target_type, target_id, **details):
        """The entry as an outbox document, stored; `publish` sends it."""
        now = utcnow()
        entry = outbox_entry(AUDITED, AUDITED_PAYLOAD.dump({
            "event_id": "", "occurred_at": now, "account_id": actor.account_id,
            "service": service_name, "actor": actor.as_reference(),
            "credential_id": actor.credential_id, "action": action, "target_type": target_type,
            "target_id": target_id, "details": details}))
        doc = {"_id": entry["id"], "account_id": actor.account_id, "outbox": [entry],
               "outbox_pending": True, "expires_at": now + KEPT_FOR}
        self.outbox.insert_one(doc)
        return doc

    def publish(self, dispatch, doc, service_name):
        publish_outbox(dispatch, self.outbox, doc["_id"], doc["outbox"], service_name)

    def relay(self, dispatch, service_name):
        relay_outbox(dispatch, self.outbox, service_name)


class AuditEntrypoints:
    """Mixed into a service whose store has `audit` (an AuditTrail)."""

    audit_dispatch = EventDispatcher()

    def audit(self, actor, action, target_type, target_id, **details):
        doc = self.store.audit.record(self.name, actor, action, target_type, target_id, **details)
        announce(self.store.audit.publish, self.audit_dispatch, doc, self.name)

    @timer(interval=RELAY_SECONDS)
    def relay_audit(self):
        self.store.audit.relay(self.audit_dispatch, self.name)
