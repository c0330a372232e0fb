"""PUT replaces a whole resource and refuses a body that leaves fields out; PATCH changes the fields
it names and keeps the others (issue 23, point 8). Each PATCH is also in the isolation pattern
(test_isolation_pattern.py: another account's record is 404 and stays unchanged)."""
import uuid

import pytest

from tests.integration.world import PASSWORD, made


def reasons(answer):
    assert answer.status_code == 422, answer.text
    return {error["field"]: error["reason"] for error in answer.json()["errors"]}


@pytest.fixture(scope="module")
def desk(suite):
    admin = suite.admin(f"patch-{uuid.uuid4().hex[:6]}")
    client = made(admin.post("/api/v1/clients", json={"name": "ТЦ Радуга", "inn": "7707083893",
                                                      "category": "gold"}))
    site = made(admin.post(f"/api/v1/clients/{client['id']}/sites", json={
        "name": "Корпус 1", "address": "Москва", "time_zone": "Europe/Moscow"}))
    kind = made(admin.post("/api/v1/equipment-kinds", json={"name": "Турникет"}))
    item = made(admin.post("/api/v1/equipment", json={
        "site_id": site["id"], "kind_id": kind["id"], "manufacturer": "PERCo", "model": "TTR-10",
        "serial_number": "SN-0042", "warranty_until": "2027-12-31",
        "parameters": {"firmware": "2.1"}}))
    return {"admin": admin, "client": client, "site": site, "kind": kind, "item": item}


def test_put_with_a_status_only_is_refused_and_clears_nothing(desk):
    admin, item = desk["admin"], desk["item"]
    answer = admin.put(f"/api/v1/equipment/{item['id']}", json={"status": "under_repair"})
    missing = reasons(answer)
    assert {"site_id", "kind_id", "serial_number", "warranty_until", "parameters"} <= set(missing)
    assert missing["serial_number"] == "Обязательное поле."  # Russian by default (docs/api.md)
    assert admin.get(f"/api/v1/equipment/{item['id']}").json() == item


def test_patch_changes_the_status_and_keeps_serial_kind_warranty_and_parameters(desk):
    admin, item = desk["admin"], desk["item"]
    changed = made(admin.patch(f"/api/v1/equipment/{item['id']}", json={"status": "under_repair"}), 200)
    assert changed == dict(item, status="under_repair")
    assert admin.get(f"/api/v1/equipment/{item['id']}").json()["serial_number"] == "SN-0042"
    # A whole PUT still replaces, and clears what it says to clear.
    whole = {k: changed[k] for k in ("site_id", "kind_id", "manufacturer", "model", "serial_number",
                                     "inventory_number", "installed_on", "parameters")}
    replaced = made(admin.put(f"/api/v1/equipment/{item['id']}", json=dict(
        whole, status="in_service", warranty_until=None)), 200)
    assert replaced["warranty_until"] is None and replaced["serial_number"] == "SN-0042"


def test_patch_validates_what_it_is_given_and_the_whole_it_makes(desk):
    admin, item = desk["admin"], desk["item"]
    path = f"/api/v1/equipment/{item['id']}"
    assert reasons(admin.patch(path, json={"status": "melted"})).keys() == {"status"}
    assert reasons(admin.patch(path, json={"colour": "red"})) == {"colour": "Неизвестное поле."}
    assert reasons(admin.patch(path, json={"site_id": None})).keys() == {"site_id"}
    client = desk["client"]
    # A KPP needs an organisation's 10-digit INN: checked on the client as it would become.
    assert reasons(admin.patch(f"/api/v1/clients/{client['id']}", json={"inn": "500100732259",
                                                                         "kpp": "773601001"})
                   ).keys() == {"kpp"}
    assert admin.get(f"/api/v1/clients/{client['id']}").json()["inn"] == "7707083893"


def test_patch_of_each_kind_keeps_the_fields_it_does_not_name(desk, suite):
    admin, client = desk["admin"], desk["client"]
    renamed = made(admin.patch(f"/api/v1/clients/{client['id']}", json={"notes": "VIP"}), 200)
    assert (renamed["name"], renamed["inn"], renamed["category"]) == ("ТЦ Радуга", "7707083893", "gold")
    site = made(admin.patch(f"/api/v1/clients/{client['id']}/sites/{desk['site']['id']}",
                            json={"access_notes": "Пропуск на охране"}), 200)
    assert (site["address"], site["time_zone"]) == ("Москва", "Europe/Moscow")
    contact = made(admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Анна", "phones": ["+7 916 123-45-67"], "emails": ["anna@raduga.example"],
        "portal_access": "own", "password": PASSWORD}))
    closed = made(admin.patch(f"/api/v1/clients/{client['id']}/contacts/{contact['id']}",
                              json={"portal_access": "none"}), 200)
    assert closed["phones"] == contact["phones"] and closed["emails"] == contact["emails"]
    targets = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
               for p in ("low", "normal", "high", "critical")}
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": targets, "options": ["выезд 24/7"],
        "monthly_price": {"amount": "45000"}}))
    assert admin.get(f"/api/v1/service-levels/{level['id']}").json() == level
    cheaper = made(admin.patch(f"/api/v1/service-levels/{level['id']}",
                               json={"monthly_price": {"amount": "40000"}}), 200)
    assert cheaper["options"] == ["выезд 24/7"] and cheaper["targets"] == level["targets"]
    contract = made(admin.post("/api/v1/contracts", json={
        "number": f"СО-{uuid.uuid4().hex[:6]}", "client_id": client["id"],
        "service_level_id": level["id"], "valid_from": "2026-01-01",
        "payment": {"state": "paid", "balance": {"amount": "100.00"}}}))
    noted = made(admin.patch(f"/api/v1/contracts/{contract['id']}", json={"notes": "продлить"}), 200)
    assert noted["payment"] == contract["payment"] and noted["valid_from"] == "2026-01-01"
    overdue = made(admin.patch(f"/api/v1/contracts/{contract['id']}/payment",
                               json={"state": "overdue"}), 200)["payment"]
    assert overdue == dict(contract["payment"], state="overdue")
    price = made(admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд", "unit": "выезд", "price": {"amount": "3000"},
        "category_prices": {"gold": {"amount": "2500"}}}))
    dearer = made(admin.patch(f"/api/v1/price-items/{price['id']}",
                              json={"price": {"amount": "3500"}}), 200)
    assert dearer["category_prices"] == price["category_prices"]
    group = made(admin.post("/api/v1/groups", json={"name": "Выездные"}))
    assert made(admin.patch(f"/api/v1/groups/{group['id']}", json={"name": "Монтажники"}),
                200)["member_ids"] == group["member_ids"]
    policy = made(admin.patch("/api/v1/coverage-policy", json={"paid_work_code": "CALL"}), 200)
    assert made(admin.patch("/api/v1/coverage-policy", json={"actions": {"unpaid": "accept"}}),
                200) == dict(policy, actions={"unpaid": "accept"})


def test_patch_keeps_write_only_secrets(desk):
    admin = desk["admin"]
    pbx = made(admin.post("/api/v1/telephony/integrations", json={
        "name": "АТС", "dialect": "generic", "lines": [{"number": "+74951234567", "name": "Офис"}]}))
    off = made(admin.patch(f"/api/v1/telephony/integrations/{pbx['id']}",
                           json={"enabled": False}), 200)
    assert off["webhook_path"] == pbx["webhook_path"] and off["secrets_set"] == ["token"]
    assert off["lines"] == pbx["lines"] and off["enabled"] is False
    connection = made(admin.post("/api/v1/billing/connections", json={
        "url": "http://127.0.0.1:9/base/odata/standard.odata/", "user": "odata",
        "password": "Secret-1c-2026", "profile": "bp30"}))
    scheduled = made(admin.patch(f"/api/v1/billing/connections/{connection['id']}",
                                 json={"schedule_minutes": 60}), 200)
    assert scheduled["password_set"] is True and scheduled["user"] == "odata"


def test_another_clients_contact_is_not_patched_through_a_clients_path(north):
    """Cross-client: client B's path with client A's contact is 404, and nothing changes."""
    contact_a = north.ids["client_a_own"]
    before = north.admin.get(f"/api/v1/clients/{north.ids['client_a']}/contacts/{contact_a}").json()
    answer = north.admin.patch(f"/api/v1/clients/{north.ids['client_b']}/contacts/{contact_a}",
                               json={"name": "взлом"})
    assert answer.status_code == 404, answer.text
    assert north.admin.get(f"/api/v1/clients/{north.ids['client_a']}/contacts/{contact_a}"
                           ).json() == before


@pytest.mark.parametrize("path", ["/api/v1/service-levels/{level}", "/api/v1/price-items/{price_item}",
                                  "/api/v1/groups/{group}"])
def test_a_contact_reads_no_service_level_price_item_or_group(north, path):
    """Cross-client: the new GETs of one record are for employees, as their lists are."""
    for who in ("client_a_company", "client_b_own"):
        answer = north.people[who].get(path.format(**north.ids))
        assert answer.status_code == 403, answer.text


@pytest.mark.parametrize("path, body", [
    ("/api/v1/clients/{client_a}", {"name": "взлом"}),
    ("/api/v1/clients/{client_a}/contacts/{client_a_company}", {"portal_access": "none"}),
    ("/api/v1/clients/{client_b}/contacts/{client_b_own}", {"name": "взлом"}),
    ("/api/v1/clients/{client_a}/sites/{site}", {"name": "взлом"}),
    ("/api/v1/equipment/{equipment}", {"status": "decommissioned"}),
    ("/api/v1/contracts/{contract}/payment", {"state": "paid"}),
])
def test_a_clients_contact_patches_nothing_of_their_company_or_another(north, path, body):
    """Cross-client: contacts (of their own company or another) may not change the directory."""
    contact = north.people["client_a_company"]
    answer = contact.patch(path.format(**north.ids), json=body)
    assert answer.status_code in (403, 404), answer.text
    client_a = north.admin.get(f"/api/v1/clients/{north.ids['client_a']}").json()
    assert client_a["name"] != "взлом"


def test_the_escalation_rules_patch_is_their_put_with_the_same_checks(north, south):
    rules = {"rules": [{"target": "reaction", "milestone": "warning", "action": "notify",
                        "working_hours_only": False, "group_id": None, "recipients": []}]}
    before = north.admin.get("/api/v1/sla/escalation-rules").json()
    foreign = south.admin.patch("/api/v1/sla/escalation-rules", json={"rules": [dict(
        rules["rules"][0], action="reassign", group_id=north.ids["group"])]})
    assert reasons(foreign).keys() == {"rules.0.group_id"}  # another account's group
    assert north.people["agent"].patch("/api/v1/sla/escalation-rules", json=rules).status_code == 403
    assert north.people["client_a_company"].patch("/api/v1/sla/escalation-rules",
                                                  json=rules).status_code == 403
    assert north.admin.get("/api/v1/sla/escalation-rules").json() == before
