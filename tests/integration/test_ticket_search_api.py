"""Ticket search through the gateway's `q` (issue 23, point 13): by number, words in any form,
client name, contact phone in any format, equipment serial; another account finds none of it,
a contact only their own company's tickets."""
import uuid

import pytest

from tests.integration.world import login, made

PASSWORD = "Portal-password-2026"


@pytest.fixture(scope="module")
def desk(suite):
    slug = f"search-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    raduga = made(admin.post("/api/v1/clients", json={"name": "ТЦ Радуга"}))
    zvezda = made(admin.post("/api/v1/clients", json={"name": "Звезда"}))
    anna = made(admin.post(f"/api/v1/clients/{raduga['id']}/contacts", json={
        "name": "Анна", "phones": ["+7 916 765-43-21"], "emails": [f"anna@{slug}.example"],
        "portal_access": "company", "password": PASSWORD}))
    boris = made(admin.post(f"/api/v1/clients/{zvezda['id']}/contacts", json={
        "name": "Борис", "emails": [f"boris@{slug}.example"], "portal_access": "company",
        "password": PASSWORD}))
    site = made(admin.post(f"/api/v1/clients/{raduga['id']}/sites", json={"name": "Корпус 1"}))
    serial = f"SN-{uuid.uuid4().hex[:8].upper()}"
    item = made(admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "manufacturer": "PERCo", "model": "TTR-10", "serial_number": serial}))
    tickets = {
        "turnstile": admin.create_ticket(title="Не работает турникет", client_id=raduga["id"]),
        "call_back": admin.create_ticket(title="Перезвонить", contact_id=anna["id"]),
        "board": admin.create_ticket(title="Замена платы", equipment_id=item["id"]),
        "zvezda": admin.create_ticket(title="Турникеты на входе", client_id=zvezda["id"]),
    }
    return {"admin": admin, "tickets": tickets, "serial": serial,
            "anna": login(suite.url, slug, anna["emails"][0], PASSWORD),
            "boris": login(suite.url, slug, boris["emails"][0], PASSWORD)}


def titles(api, q):
    answer = api.get("/api/v1/tickets", params={"q": q})
    assert answer.status_code == 200, answer.text
    return sorted(ticket["title"] for ticket in answer.json()["items"])


def test_words_in_any_form(desk):
    assert titles(desk["admin"], "турникеты") == ["Не работает турникет", "Турникеты на входе"]


def test_by_number_client_phone_and_serial(desk):
    admin, tickets = desk["admin"], desk["tickets"]
    assert titles(admin, f"#{tickets['board']['number']}") == ["Замена платы"]
    assert titles(admin, "радуга") == ["Замена платы", "Не работает турникет", "Перезвонить"]
    assert titles(admin, "8 (916) 765-43-21") == ["Перезвонить"]
    assert titles(admin, "+79167654321") == ["Перезвонить"]
    assert titles(admin, desk["serial"].lower()) == ["Замена платы"]


def test_another_account_finds_nothing(desk, globex):
    assert titles(globex, "радуга") == []
    assert titles(globex, "8 (916) 765-43-21") == []
    assert titles(globex, desk["serial"]) == []
    assert not set(titles(globex, "турникеты")) & {"Не работает турникет", "Турникеты на входе"}


def test_a_contact_finds_only_their_companys_tickets(desk):
    assert titles(desk["boris"], "турникеты") == ["Турникеты на входе"]
    assert titles(desk["boris"], "радуга") == []
    assert titles(desk["boris"], "8 (916) 765-43-21") == []
    assert titles(desk["boris"], desk["serial"]) == []
    assert titles(desk["anna"], "турникеты") == ["Не работает турникет"]
