"""The ticket page's workspace read, its rules without RabbitMQ: which ids the page shows by name,
the assignee choices, the numbers calls are looked up by."""
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory

from services.shared.errors import Forbidden, NotFound
from services.tickets.service import TicketsService
from services.tickets.tickets import workspace
from tests.unit.test_directory_support import directory, world  # noqa: F401

ADMIN = {"kind": "employee", "id": "e1"}
TICKET = {
    "assignee_id": "e2", "assignee_group_id": "g2", "contact_id": "p1", "client_id": "c1",
    "site_id": "s1", "equipment_id": None,
    "comments": [{"author": ADMIN}, {"author": {"kind": "contact", "id": "p1"}},
                 {"author": {"kind": "system", "name": "PBX"}}],
    "history": [
        {"actor": ADMIN, "field": "assignee_id", "old": "e3", "new": "e2"},
        {"actor": {"kind": "contact", "id": "p9"}, "field": "assignee_group_id", "old": "g1",
         "new": "g2"},
        {"actor": ADMIN, "field": "equipment_id", "old": "q1", "new": None},
        {"actor": ADMIN, "field": "priority", "old": "normal", "new": "high"}],
    "works": [{"performed_by": "e4"}],
    "calls": [{"number": "+79161234567"}, {"number": "+74951112233"}, {}],
}


def test_every_id_the_page_shows_by_name_is_asked_once():
    asked = workspace.referenced_ids(TICKET)
    assert asked == {"employees": ["e1", "e2", "e3", "e4"], "groups": ["g1", "g2"],
                     "clients": ["c1"], "contacts": ["p1", "p9"], "sites": ["s1"], "equipment": ["q1"]}


def test_a_former_assignee_stays_chosen_by_name():
    names = {"employees": {"e9": "Пётр (уволен)"}}
    staff = [{"id": "e1", "name": "Анна"}]
    assert workspace.assignee_choices(staff, {"assignee_id": "e9"}, names) == [
        ("e1", "Анна"), ("e9", "Пётр (уволен)")]
    assert workspace.assignee_choices(staff, {"assignee_id": "e1"}, names) == [("e1", "Анна")]
    assert workspace.assignee_choices(staff, {}, names) == [("e1", "Анна")]


def test_calls_are_looked_up_by_the_contacts_numbers_then_the_callers():
    assert workspace.caller_numbers(["+74951112233", "+79000000000"], TICKET) == [
        "+74951112233", "+79000000000", "+79161234567"]


# The entrypoint, through nameko's worker_factory on a real store (no broker).

@pytest.fixture
def desk(world):
    account = world.account()
    admin = world.employee(account, roles=("admin",))
    engineer = world.employee(account, roles=("field_engineer",))
    client = world.client(account)
    contact = world.contact(account, client, phones=["+74951112233"])
    service = worker_factory(TicketsService, store=world.d)
    actor = world.actor(admin).to_dict()
    service.create_group(actor, {"name": "Выездные", "member_ids": [engineer["_id"]]})
    service.create_price_item(actor, {"code": "V1", "name": "Выезд", "unit": "выезд",
                                      "price": {"amount": "2500"}})
    service.create_price_item(actor, {"code": "OLD", "name": "Старое", "unit": "шт",
                                      "price": {"amount": "1"}, "active": False})
    ticket = service.create_ticket(actor, {"title": "Турникет", "contact_id": contact["_id"],
                                           "assignee_id": engineer["_id"]})
    secret, _ = world.issue(admin)
    return SimpleNamespace(world=world, service=service, ticket=ticket, admin=admin,
                           engineer=engineer, contact=contact, client=client, secret=secret)


def test_one_call_brings_the_ticket_its_names_and_the_pickers(desk):
    found = desk.service.ticket_workspace({"credential": desk.secret}, desk.ticket["id"])
    assert found["actor"]["id"] == desk.admin["_id"] and found["actor"]["roles"] == ["admin"]
    assert found["ticket"]["id"] == desk.ticket["id"]
    assert found["names"]["contacts"] == {desk.contact["_id"]: desk.contact["name"]}
    assert found["names"]["clients"] == {desk.client["_id"]: desk.client["name"]}
    assert found["names"]["employees"][desk.engineer["_id"]] == desk.engineer["name"]
    assert sorted(name for _, name in found["assignees"]) == sorted(
        [desk.admin["name"], desk.engineer["name"]])
    assert [name for _, name in found["groups"]] == ["Выездные"]
    assert [item["code"] for item in found["price_items"]] == ["V1"]
    assert found["caller_numbers"] == ["+74951112233"]


def test_another_account_and_a_clients_contact_get_nothing(desk):
    world = desk.world
    stranger = world.employee(world.account(), roles=("admin",))
    with pytest.raises(NotFound):
        desk.service.ticket_workspace(world.actor(stranger).to_dict(), desk.ticket["id"])
    with pytest.raises(Forbidden):
        desk.service.ticket_workspace(world.actor(desk.contact).to_dict(), desk.ticket["id"])
