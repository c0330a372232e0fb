"""The telephony service's entrypoints with nameko's worker_factory: who may call what, secrets
never shown, and the consumer's refusals dead-lettered instead of requeued."""
import pytest
from nameko.testing.services import worker_factory

from services.shared.errors import Forbidden, ValidationFailed
from services.telephony.service import TelephonyService

ADMIN = {"account_id": "acme", "kind": "employee", "id": "alice", "roles": ["admin"]}
AGENT = {"account_id": "acme", "kind": "employee", "id": "bob", "roles": ["agent"]}
ENGINEER = {"account_id": "acme", "kind": "employee", "id": "eve", "roles": ["field_engineer"]}
CONTACT = {"account_id": "acme", "kind": "contact", "id": "c1", "client_id": "k1",
           "client_scope": "company"}
INTEGRATION = {"_id": "i1", "account_id": "acme", "name": "Офис", "dialect": "zadarma",
               "secrets": {"secret": "b1c8e3d9f2a7c4e6"}, "webhook_path": "/api/v1/webhooks/telephony/i1",
               "lines": [], "extensions": [], "rules": {}, "region": "RU", "area_code": None,
               "time_zone": "Europe/Moscow", "enabled": True, "version": 1}
CALL = {"_id": "call1", "account_id": "acme", "integration_id": "i1", "direction": "in",
        "caller": "+74951234567", "started_at": None, "recordings": [
            {"reference": "rec-1", "ready": True}, {"reference": "rec-2", "ready": False}]}


def test_integrations_are_for_admins_only():
    service = worker_factory(TelephonyService)
    for actor in (AGENT, CONTACT, {"account_id": "acme"}):
        with pytest.raises(Forbidden):
            service.list_integrations(actor, {})
        with pytest.raises(Forbidden):
            service.create_integration(actor, {"name": "x", "dialect": "generic"})
    service.store.integrations.create.assert_not_called()


def test_an_integration_shows_which_secrets_are_set_never_their_values():
    service = worker_factory(TelephonyService)
    service.store.integrations.get.return_value = INTEGRATION
    shown = service.get_integration(ADMIN, "i1")
    assert shown["secrets_set"] == ["secret"] and "secrets" not in shown
    assert "b1c8e3d9f2a7c4e6" not in repr(shown)
    service.store.integrations.get.assert_called_once_with("acme", "i1")


def test_create_validates_before_storing():
    service = worker_factory(TelephonyService)
    with pytest.raises(ValidationFailed) as error:
        service.create_integration(ADMIN, {"name": "", "dialect": "cisco"})
    assert {"name", "dialect"} <= set(error.value.fields)
    service.store.integrations.create.assert_not_called()


def test_calls_are_read_by_employees_in_their_account_only():
    service = worker_factory(TelephonyService)
    service.store.calls.get.return_value = dict(CALL, events=[])
    service.get_call(ENGINEER, "call1")
    service.store.calls.get.assert_called_once_with("acme", "call1")
    with pytest.raises(Forbidden):
        service.get_call(CONTACT, "call1")
    with pytest.raises(Forbidden):
        service.list_calls(CONTACT, {})


def test_linking_by_hand_asks_tickets_as_the_person_with_the_ready_recordings():
    service = worker_factory(TelephonyService)
    service.store.calls.get.return_value = CALL
    service.link_call_to_ticket(AGENT, "call1", {"ticket_id": "t1"})
    (actor, ticket_id, data), _ = service.tickets_rpc.link_call.call_args
    assert actor["id"] == "bob" and actor["kind"] == "employee" and ticket_id == "t1"
    assert data["call"]["call_id"] == "call1" and data["recordings"] == ["rec-1"]
    service.store.calls.link_ticket.assert_called_once_with("acme", "call1", "t1")
    with pytest.raises(Forbidden):
        service.link_call_to_ticket(ENGINEER, "call1", {"ticket_id": "t1"})


def test_a_message_for_an_unknown_integration_is_dead_lettered_not_requeued():
    from services.shared.errors import NotFound
    service = worker_factory(TelephonyService)
    service.store.integrations.get.side_effect = NotFound("No PBX integration i9.")
    service.receive_webhook({"message_id": "m1", "account_id": "acme", "integration_id": "i9",
                             "dialect": "zadarma", "request": {}})
    (key, source, kind, payload, reason), _ = service.inbox.bury.call_args
    assert key == "webhook.m1" and "No such integration" in reason
    service.inbox.fail.assert_not_called()
