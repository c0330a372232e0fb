"""The tickets service's entrypoints with nameko's worker_factory: no broker, dependencies mocked.

Entrypoints must validate and authorize before they touch storage, and announce what they wrote.
"""
import pytest
from nameko.testing.services import worker_factory

from services.shared.errors import Forbidden, ValidationFailed
from services.tickets.service import TicketsService

ACTOR = {"account_id": "acme", "kind": "employee", "id": "alice", "roles": ["admin"]}


def stored_ticket(**fields):
    ticket = {"_id": "t1", "account_id": "acme", "number": 7, "title": "Замок", "description": "",
              "priority": "normal", "channel": "phone", "type": "incident", "status": "opened",
              "created_by": {"kind": "employee", "id": "alice"}, "comments": [], "history": []}
    ticket.update(fields)
    return ticket


def test_create_validates_before_storing():
    service = worker_factory(TicketsService)
    with pytest.raises(ValidationFailed) as error:
        service.create_ticket(ACTOR, {"title": "", "priority": "asap"})
    assert set(error.value.fields) == {"title", "priority"}
    service.store.tickets.create.assert_not_called()
    service.dispatch.assert_not_called()


def test_create_refuses_a_call_without_actor():
    service = worker_factory(TicketsService)
    with pytest.raises(Forbidden):
        service.create_ticket({"account_id": "acme"}, {"title": "Замок"})
    service.store.tickets.create.assert_not_called()


def without_clocks(service):
    service.store.tickets.sla_views.side_effect = lambda docs: [None] * len(docs)
    return service


def test_create_stores_loaded_data_and_announces_it():
    service = without_clocks(worker_factory(TicketsService))
    service.store.tickets.create.return_value = stored_ticket()
    result = service.create_ticket(ACTOR, {"title": "Замок", "channel": "phone"})
    (actor, data), _ = service.store.tickets.create.call_args
    assert actor.account_id == "acme" and actor.id == "alice"
    assert data == {"title": "Замок", "description": "", "priority": "normal", "channel": "phone",
                    "type": "incident", "client_id": None, "contact_id": None, "assignee_id": None,
                    "assignee_group_id": None, "site_id": None, "equipment_id": None}
    service.store.tickets.publish_pending.assert_called_once_with(
        service.dispatch, stored_ticket(), "tickets")
    assert result["id"] == "t1" and result["number"] == 7
    assert result["allowed_transitions"] == ["in_progress", "waiting", "resolved", "closed"]


def test_change_status_validates_the_target():
    service = worker_factory(TicketsService)
    with pytest.raises(ValidationFailed) as error:
        service.change_status(ACTOR, "t1", {"status": "done"})
    assert "status" in error.value.fields
    service.store.tickets.change_status.assert_not_called()


def test_list_passes_defaults_and_caps_the_page():
    service = without_clocks(worker_factory(TicketsService))
    service.store.tickets.list.return_value = ([stored_ticket()], "next")
    page = service.list_tickets(ACTOR, {})
    query = service.store.tickets.list.call_args[0][1]
    assert query["limit"] == 25 and query["sort"] == "-created_at"
    assert page["next_cursor"] == "next" and page["items"][0]["id"] == "t1"
    with pytest.raises(ValidationFailed):
        service.list_tickets(ACTOR, {"limit": 101})
