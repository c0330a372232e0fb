"""The digital twin and coverage at registration: sites, equipment, service levels, contracts,
the verdict stored on each new ticket and the account's policy for it."""
import uuid
from datetime import date, timedelta

import pytest

from tests.integration.world import login

TODAY = date.today()
PORTAL_PASSWORD = "Portal-password-2026"
NO_POLICY = {"actions": {}, "messages": {}, "sales_group_id": None, "paid_work_code": None}
TARGETS = {p: {"reaction_minutes": r, "resolution_minutes": r * 8}
           for p, r in (("low", 480), ("normal", 240), ("high", 60), ("critical", 30))}


def made(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def twin(suite):
    """An account with a client, two sites, equipment, a paid contract covering site 1 only."""
    slug = f"twin-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    client = made(admin.post("/api/v1/clients", json={"name": "ТЦ Радуга", "category": "gold"}))
    sites = [made(admin.post(f"/api/v1/clients/{client['id']}/sites", json={
        "name": name, "address": "Москва, ул. Ленина, 1", "coordinates": {"lat": 55.75, "lon": 37.61},
        "time_zone": "Europe/Moscow", "access_notes": "Пропуск на охране"})) for name in ("Корпус 1", "Корпус 2")]
    kind = made(admin.post("/api/v1/equipment-kinds", json={"name": "Турникет"}))
    items = {}
    for key, site, warranty in (("covered", sites[0], None), ("outside", sites[1], None),
                                ("warranty", sites[1], (TODAY + timedelta(days=30)).isoformat())):
        items[key] = made(admin.post("/api/v1/equipment", json={
            "site_id": site["id"], "kind_id": kind["id"], "manufacturer": "PERCo", "model": "TTR-10",
            "serial_number": f"SN-{uuid.uuid4().hex[:8]}", "warranty_until": warranty,
            "installed_on": "2024-03-01", "parameters": {"firmware": "2.1"}}))
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": TARGETS, "personal_manager": True, "options": ["выезд 24/7"],
        "monthly_price": {"amount": "45000", "currency": "RUB"}}))
    contract = made(admin.post("/api/v1/contracts", json={
        "number": "СО-2026/17", "client_id": client["id"], "service_level_id": level["id"],
        "valid_from": (TODAY - timedelta(days=100)).isoformat(),
        "valid_until": (TODAY + timedelta(days=265)).isoformat(),
        "coverage": {"all": False, "site_ids": [sites[0]["id"]]},
        "payment": {"state": "paid", "balance": {"amount": "0"}, "last_payment_on": TODAY.isoformat()}}))
    return {"admin": admin, "client": client, "sites": sites, "items": items, "level": level,
            "contract": contract, "kind": kind, "url": suite.url, "slug": slug}


def test_the_twin_is_stored_as_given(twin):
    item = twin["items"]["covered"]
    assert item["client_id"] == twin["client"]["id"] and item["status"] == "in_service"
    assert len(item["public_code"]) >= 22
    assert twin["level"]["monthly_price"] == {"amount": "45000.00", "currency": "RUB"}
    listed = twin["admin"].get("/api/v1/equipment", params={"site_id": twin["sites"][0]["id"]}).json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]


def test_a_serial_is_unique_per_manufacturer(twin):
    item = twin["items"]["covered"]
    body = {"site_id": item["site_id"], "manufacturer": "perco", "model": "X",
            "serial_number": item["serial_number"].lower()}
    assert twin["admin"].post("/api/v1/equipment", json=body).status_code == 409
    other_maker = dict(body, manufacturer="Hikvision")
    assert twin["admin"].post("/api/v1/equipment", json=other_maker).status_code == 201


@pytest.mark.parametrize("refs, verdict", [
    (lambda t: {"equipment_id": t["items"]["covered"]["id"]}, "covered"),
    (lambda t: {"site_id": t["sites"][0]["id"]}, "covered"),
    (lambda t: {"equipment_id": t["items"]["outside"]["id"]}, "not_covered"),
    (lambda t: {"equipment_id": t["items"]["warranty"]["id"]}, "warranty"),
])
def test_every_new_ticket_gets_its_verdict(twin, refs, verdict):
    ticket = twin["admin"].create_ticket(**refs(twin))
    assert ticket["coverage"]["verdict"] == verdict
    assert ticket["client_id"] == twin["client"]["id"]
    if verdict == "covered":
        assert ticket["coverage"]["contract_id"] == twin["contract"]["id"]
        assert ticket["coverage"]["service_level_id"] == twin["level"]["id"]
        assert ticket["billing"] is None
    if verdict == "not_covered":
        assert ticket["coverage"]["action"] == "paid_work" and ticket["billing"] == "paid_one_off"


def test_a_new_clients_contract_is_unknown_until_paid_and_does_not_send_tickets_to_sales(twin):
    admin = twin["admin"]
    client = made(admin.post("/api/v1/clients", json={"name": f"Новый {uuid.uuid4().hex[:4]}"}))
    contract = made(admin.post("/api/v1/contracts", json={
        "number": f"Н-{uuid.uuid4().hex[:6]}", "client_id": client["id"],
        "service_level_id": twin["level"]["id"], "valid_from": (TODAY - timedelta(days=1)).isoformat()}))
    assert contract["payment"]["state"] == "unknown"
    ticket = admin.create_ticket(client_id=client["id"])
    assert ticket["coverage"]["verdict"] == "covered" and ticket["coverage"]["action"] == "accept"
    assert ticket["coverage"]["payment_state"] == "unknown" and ticket["billing"] is None
    assert ticket["assignee_group_id"] is None
    admin.patch(f"/api/v1/contracts/{contract['id']}/payment", json={"state": "paid"})
    paid = admin.create_ticket(client_id=client["id"])["coverage"]
    assert (paid["verdict"], paid["payment_state"]) == ("covered", "paid")


def test_a_portal_request_is_judged_by_its_site_else_to_be_checked(twin):
    """The twin's contract lists site 1 only. A contact who names no site or item gets no quote."""
    admin = twin["admin"]
    admin.patch("/api/v1/coverage-policy", json={"paid_work_code": price_item(admin)})
    try:
        contact = portal_contact(twin)
        unnamed = contact.post("/api/v1/tickets", json={"title": "Не работает пропуск"})
        assert unnamed.status_code == 201, unnamed.text
        ticket = admin.get(f"/api/v1/tickets/{unnamed.json()['id']}").json()
        assert ticket["coverage"]["verdict"] == "to_check" and ticket["coverage"]["action"] == "accept"
        assert ticket["coverage"]["price"] is None and ticket["billing"] is None
        by_site = contact.post("/api/v1/tickets", json={"title": "Турникет", "site_id": twin["sites"][0]["id"]})
        assert by_site.status_code == 201, by_site.text
        assert admin.get(f"/api/v1/tickets/{by_site.json()['id']}").json()["coverage"]["verdict"] == "covered"
        other_site = contact.post("/api/v1/tickets", json={"title": "Турникет", "site_id": twin["sites"][1]["id"]})
        quoted = admin.get(f"/api/v1/tickets/{other_site.json()['id']}").json()["coverage"]
        assert quoted["verdict"] == "not_covered" and quoted["price"]["amount"] == "3500.00"
        check = admin.post("/api/v1/coverage/check", json={"client_id": twin["client"]["id"]})
        assert check.json()["verdict"] == "to_check" and check.json()["price"] is None
    finally:
        admin.put("/api/v1/coverage-policy", json=NO_POLICY)


def price_item(admin):
    code = f"OUT-{uuid.uuid4().hex[:4]}"
    made(admin.post("/api/v1/price-items", json={
        "code": code, "name": "Выезд", "unit": "выезд", "price": {"amount": "3500"}}))
    return code


def portal_contact(twin):
    email = f"portal-{uuid.uuid4().hex[:6]}@twin.example"
    made(twin["admin"].post(f"/api/v1/clients/{twin['client']['id']}/contacts", json={
        "name": "Контакт портала", "emails": [email], "portal_access": "company",
        "password": PORTAL_PASSWORD}))
    return login(twin["url"], twin["slug"], email, PORTAL_PASSWORD)


def test_an_unpaid_contract_goes_to_sales(twin):
    admin = twin["admin"]
    sales = made(admin.post("/api/v1/groups", json={"name": f"Продажи {uuid.uuid4().hex[:4]}"}))
    admin.patch("/api/v1/coverage-policy", json={"sales_group_id": sales["id"]})
    admin.patch(f"/api/v1/contracts/{twin['contract']['id']}/payment", json={"state": "overdue"})
    try:
        ticket = admin.create_ticket(equipment_id=twin["items"]["covered"]["id"])
        assert ticket["coverage"]["verdict"] == "unpaid" and ticket["coverage"]["action"] == "sales"
        assert ticket["assignee_group_id"] == sales["id"]
        check = admin.post("/api/v1/coverage/check", json={"equipment_id": twin["items"]["covered"]["id"]})
        assert check.json()["verdict"] == "unpaid"
    finally:
        admin.patch(f"/api/v1/contracts/{twin['contract']['id']}/payment", json={"state": "paid"})


def test_the_policy_can_reject_with_a_message_or_lower_the_priority(twin):
    admin = twin["admin"]
    admin.patch("/api/v1/coverage-policy", json={
        "actions": {"not_covered": "reject", "warranty": "low_priority"},
        "messages": {"not_covered": "Оборудование не на обслуживании. Позвоните менеджеру."}})
    try:
        refused = admin.post("/api/v1/tickets", json={"title": "x", "equipment_id": twin["items"]["outside"]["id"],
                                                      "priority": "high"})
        assert refused.status_code == 409
        assert refused.json()["detail"] == "Оборудование не на обслуживании. Позвоните менеджеру."
        assert refused.json()["verdict"] == "not_covered"
        low = admin.create_ticket(equipment_id=twin["items"]["warranty"]["id"], priority="high")
        assert low["priority"] == "low" and low["coverage"]["action"] == "low_priority"
    finally:
        admin.put("/api/v1/coverage-policy", json=NO_POLICY)


def test_a_client_without_a_contract(twin, suite):
    admin = twin["admin"]
    stranger = made(admin.post("/api/v1/clients", json={"name": "Без договора"}))
    ticket = admin.create_ticket(client_id=stranger["id"])
    assert ticket["coverage"]["verdict"] == "no_contract"
    assert admin.create_ticket()["coverage"] is None   # no client: no verdict
    listed = admin.get("/api/v1/tickets", params={"verdict": "no_contract"}).json()["items"]
    assert ticket["id"] in {t["id"] for t in listed}


def test_equipment_history_lists_its_tickets(twin):
    item = twin["items"]["covered"]
    ticket = twin["admin"].create_ticket(equipment_id=item["id"], title="Турникет скрипит")
    history = twin["admin"].get(f"/api/v1/equipment/{item['id']}/history").json()
    assert history["items"][0]["id"] == ticket["id"] and history["planned_works"] == []


@pytest.mark.parametrize("body, field", [
    ({"number": "1", "service_level_id": "x", "valid_from": "2026-01-01"}, "client_id"),
    ({"number": "1", "client_id": "nobody", "service_level_id": "x", "valid_from": "2026-01-01"}, "client_id"),
    ({"number": "1", "client_id": "{client}", "service_level_id": "{level}", "valid_from": "2026-02-01",
      "valid_until": "2026-01-01"}, "valid_until"),
])
def test_contract_input_is_checked(twin, body, field):
    body = {k: v.format(client=twin["client"]["id"], level=twin["level"]["id"]) for k, v in body.items()}
    answer = twin["admin"].post("/api/v1/contracts", json=body)
    assert answer.status_code == 422 and field in {e["field"] for e in answer.json()["errors"]}


def test_service_levels_need_a_target_for_every_priority(twin):
    answer = twin["admin"].post("/api/v1/service-levels", json={
        "name": "Бронза", "targets": {"low": TARGETS["low"]}, "monthly_price": {"amount": "1"}})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "targets"


def test_another_account_cannot_reach_the_twin(twin, globex):
    for path in (f"/api/v1/equipment/{twin['items']['covered']['id']}",
                 f"/api/v1/equipment/{twin['items']['covered']['id']}/history",
                 f"/api/v1/contracts/{twin['contract']['id']}",
                 f"/api/v1/clients/{twin['client']['id']}/sites/{twin['sites'][0]['id']}"):
        assert globex.get(path).status_code == 404, path
    answer = globex.post("/api/v1/tickets", json={"title": "x", "equipment_id": twin["items"]["covered"]["id"]})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "equipment_id"
    check = globex.post("/api/v1/coverage/check", json={"site_id": twin["sites"][0]["id"]})
    assert check.status_code == 422


def test_listing_sites_means_only_those(twin):
    admin = twin["admin"]
    assert twin["contract"]["coverage"]["all"] is False
    both = admin.post("/api/v1/contracts", json={
        "number": f"X-{uuid.uuid4().hex[:6]}", "client_id": twin["client"]["id"],
        "service_level_id": twin["level"]["id"], "valid_from": "2026-01-01",
        "coverage": {"all": True, "site_ids": [twin["sites"][0]["id"]]}})
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "coverage.all"


def test_unpaid_without_a_sales_group_is_still_marked(twin):
    admin = twin["admin"]
    admin.put("/api/v1/coverage-policy", json=NO_POLICY)
    admin.patch(f"/api/v1/contracts/{twin['contract']['id']}/payment", json={"state": "unpaid"})
    try:
        ticket = admin.create_ticket(equipment_id=twin["items"]["covered"]["id"])
        assert ticket["coverage"]["action"] == "sales" and ticket["billing"] == "sales_review"
    finally:
        admin.patch(f"/api/v1/contracts/{twin['contract']['id']}/payment", json={"state": "paid"})


def test_a_policy_cannot_quote_a_missing_price_item(twin):
    answer = twin["admin"].patch("/api/v1/coverage-policy", json={"paid_work_code": "NO-SUCH"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "paid_work_code"


def test_a_ticket_cannot_move_to_another_client_with_the_first_ones_equipment(twin):
    admin = twin["admin"]
    other = made(admin.post("/api/v1/clients", json={"name": "Другой клиент"}))
    ticket = admin.create_ticket(equipment_id=twin["items"]["covered"]["id"])
    moved = admin.patch(f"/api/v1/tickets/{ticket['id']}", json={"client_id": other["id"]})
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "client_id"
