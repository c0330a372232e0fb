"""services/shared/audit_trail.py and the tickets side (store/audit.py `add`): an entry another
service records is published once, relayed when publishing failed, and stored once."""
from datetime import timedelta

from services.shared.actor import Actor
from services.shared.audit_trail import AUDITED, AUDITED_PAYLOAD, AuditTrail
from services.shared.validation import load
from services.tickets.store.audit import AuditLog

ADMIN = Actor(account_id="acme", kind="employee", id="e-1", roles=("admin",), credential_id="c-1")


def trail(db):
    AuditTrail.create_indexes(db)
    return AuditTrail(db)


def test_an_entry_is_an_audited_event_in_the_outbox(db):
    audit = trail(db)
    doc = audit.record("telephony", ADMIN, "pbx_integration.updated", "pbx_integration", "i-1",
                       enabled=False)
    [entry] = doc["outbox"]
    assert entry["type"] == AUDITED and doc["outbox_pending"] is True
    payload = entry["payload"]
    assert payload["event_id"] == entry["id"] == doc["_id"]
    assert payload["actor"] == {"kind": "employee", "id": "e-1"} and payload["credential_id"] == "c-1"
    assert (payload["account_id"], payload["service"], payload["details"]) == (
        "acme", "telephony", {"enabled": False})
    assert db.audit_outbox.find_one({"_id": doc["_id"]})["expires_at"] > entry["created_at"]


def test_published_entries_leave_the_outbox_and_failed_ones_are_relayed(db, monkeypatch):
    audit = trail(db)
    sent = []
    doc = audit.record("knowledge", ADMIN, "kb_section.created", "kb_section", "s-1")
    audit.publish(lambda kind, payload: sent.append(payload), doc, "knowledge")
    assert [p["event_id"] for p in sent] == [doc["_id"]]
    assert db.audit_outbox.find_one({"_id": doc["_id"]}).get("outbox_pending") is None
    left = audit.record("knowledge", ADMIN, "kb_section.updated", "kb_section", "s-1")
    monkeypatch.setattr("services.shared.events.RELAY_AGE", timedelta(0))  # as if publishing had failed
    audit.relay(lambda kind, payload: sent.append(payload), "knowledge")
    assert [p["event_id"] for p in sent] == [doc["_id"], left["_id"]]


def test_the_tickets_side_stores_each_event_once(db):
    AuditLog.create_indexes(db)
    log = AuditLog(db)
    payload = trail(db).record("partner_bridge", ADMIN, "partner_link.state_changed",
                               "partner_link", "l-1", state="paused")["outbox"][0]["payload"]
    for _ in range(2):  # a redelivery changes nothing
        log.add(load(AUDITED_PAYLOAD, payload))
    entries, _ = log.list("acme", {"limit": 10})
    assert len(entries) == 1
    assert entries[0]["action"] == "partner_link.state_changed"
    assert entries[0]["details"] == {"state": "paused", "service": "partner_bridge"}
    assert log.list("globex", {"limit": 10}) == ([], None)
