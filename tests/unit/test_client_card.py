"""tickets.client_card, through nameko's worker_factory on a real store (no broker): the console's
client card in one call, the same parts the API's list calls give, within the caller's account."""
import pytest
from nameko.testing.services import worker_factory

from services.shared.errors import Forbidden, NotFound
from services.tickets.service import TicketsService
from tests.unit.test_directory_support import directory, world  # noqa: F401

TARGETS = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
           for p in ("low", "normal", "high", "critical")}


@pytest.fixture
def card(world):
    account = world.account()
    admin, manager = world.employee(account, roles=("admin",)), world.employee(account)
    service = worker_factory(TicketsService, store=world.d)
    actor = world.actor(admin).to_dict()
    client = service.create_client(actor, {"name": "ТЦ Радуга", "manager_id": manager["_id"]})
    other = service.create_client(actor, {"name": "Другой клиент"})
    contact = world.contact(account, world.d.clients.get(account["_id"], client["id"]))
    site = service.create_site(actor, client["id"], {"name": "Проходная"})
    item = service.create_equipment(actor, {"site_id": site["id"], "manufacturer": "PERCo",
                                            "model": "TTR-04"})
    used = service.create_service_level(actor, {"name": "Базовый", "targets": TARGETS,
                                                "monthly_price": {"amount": "1000"}})
    service.create_service_level(actor, {"name": "Не у этого клиента", "targets": TARGETS,
                                         "monthly_price": {"amount": "9"}})
    contract = service.create_contract(actor, {"number": "Д-1", "client_id": client["id"],
                                               "service_level_id": used["id"],
                                               "valid_from": "2026-01-01"})
    ticket = service.create_ticket(actor, {"title": "Турникет", "client_id": client["id"]})
    service.create_ticket(actor, {"title": "Чужое", "client_id": other["id"]})
    return dict(world=world, service=service, actor=actor, client=client, contact=contact,
                site=site, item=item, level=used, contract=contract, ticket=ticket,
                manager=manager)


def test_one_call_holds_the_whole_card(card):
    found = card["service"].client_card(card["actor"], card["client"]["id"])
    assert found["client"]["name"] == "ТЦ Радуга"
    assert [c["id"] for c in found["contracts"]] == [card["contract"]["id"]]
    assert list(found["service_levels"]) == [card["level"]["id"]]
    assert found["managers"] == {card["manager"]["_id"]: card["manager"]["name"]}
    assert [c["id"] for c in found["contacts"]] == [card["contact"]["_id"]]
    assert [s["id"] for s in found["sites"]] == [card["site"]["id"]]
    assert [i["id"] for i in found["equipment"]] == [card["item"]["id"]]
    assert [t["id"] for t in found["open_tickets"]] == [card["ticket"]["id"]]


def test_another_account_and_a_contact_get_nothing(card):
    world = card["world"]
    stranger = world.employee(world.account(), roles=("admin",))
    with pytest.raises(NotFound):
        card["service"].client_card(world.actor(stranger).to_dict(), card["client"]["id"])
    with pytest.raises(Forbidden):
        card["service"].client_card(world.actor(card["contact"]).to_dict(), card["client"]["id"])
