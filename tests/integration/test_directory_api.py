"""Accounts, employees, groups, clients and contacts through the gateway."""
import pytest


def test_the_owner_creates_an_account_with_its_first_admin(suite):
    answer = suite.owner().post("/api/v1/accounts", json={
        "slug": "lift-service", "name": "Лифт Сервис", "time_zone": "Asia/Vladivostok",
        "admin": {"name": "Глава", "email": "Boss@Lift.Example", "password": "Boss-password-1"}})
    assert answer.status_code == 201
    body = answer.json()
    assert body["account"]["time_zone"] == "Asia/Vladivostok" and body["account"]["locale"] == "ru"
    assert body["admin"]["roles"] == ["admin"] and body["admin"]["email"] == "boss@lift.example"
    assert "password" not in body["admin"] and "password_hash" not in answer.text
    again = suite.owner().post("/api/v1/accounts", json={
        "slug": "lift-service", "name": "x", "admin": {"name": "x", "email": "x@x.example"}})
    assert again.status_code == 409


@pytest.mark.parametrize("body, field", [
    ({"slug": "A!", "name": "x", "admin": {"name": "x", "email": "x@x.example"}}, "slug"),
    ({"slug": "ok-slug", "name": "x", "time_zone": "Moscow", "admin": {"name": "x", "email": "x@x.example"}}, "time_zone"),
    ({"slug": "ok-slug", "name": "x", "admin": {"name": "x", "email": "not-an-email"}}, "admin.email"),
    ({"slug": "ok-slug", "name": "x"}, "admin"),
])
def test_account_input_is_validated(suite, body, field):
    answer = suite.owner().post("/api/v1/accounts", json=body)
    assert answer.status_code == 422
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_an_admin_edits_the_accounts_settings(north):
    # Settings are replaced whole: keep north's SLA settings, which other tests rely on.
    settings = dict(north.admin.get("/api/v1/account").json()["settings"], portal=True)
    answer = north.admin.patch("/api/v1/account", json={"locale": "en", "settings": settings})
    assert answer.status_code == 200 and answer.json()["settings"] == settings
    audit = north.admin.get("/api/v1/audit", params={"action": "account.updated"}).json()["items"]
    assert audit and audit[0]["details"]["fields"] == ["locale", "settings"]


def test_employees_roles_and_deactivation(north):
    created = north.admin.create_employee("agent", phone="8 (495) 123-45-67")
    assert created["phone"] == "+74951234567" and created["active"] is True
    changed = north.admin.patch(f"/api/v1/employees/{created['id']}",
                                json={"roles": ["dispatcher", "agent"], "active": False}).json()
    assert changed["roles"] == ["agent", "dispatcher"] and changed["active"] is False
    audit = north.admin.get("/api/v1/audit", params={"target_id": created["id"]}).json()["items"]
    assert [e["action"] for e in audit] == ["employee.deactivated", "employee.created"]
    assert audit[0]["details"]["new_roles"] == ["agent", "dispatcher"]
    assert audit[0]["credential_id"]


def test_an_e_mail_signs_in_one_person(north):
    answer = north.admin.post("/api/v1/employees", json={
        "name": "Двойник", "email": north.emails["agent"], "roles": ["agent"]})
    assert answer.status_code == 409


def test_groups_carry_their_members(north):
    group = north.admin.post("/api/v1/groups", json={
        "name": "Диспетчерская", "member_ids": [north.ids["dispatcher"], north.ids["agent"]]}).json()
    agent = north.admin.get(f"/api/v1/employees/{north.ids['agent']}").json()
    assert group["id"] in agent["group_ids"]
    north.admin.patch(f"/api/v1/groups/{group['id']}", json={"name": "Диспетчерская",
                                                           "member_ids": [north.ids["dispatcher"]]})
    assert group["id"] not in north.admin.get(f"/api/v1/employees/{north.ids['agent']}").json()["group_ids"]
    bad = north.admin.post("/api/v1/groups", json={"name": "Призраки", "member_ids": ["nobody"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "member_ids"


@pytest.mark.parametrize("body, field", [
    ({"name": "x", "inn": "7707083890"}, "inn"),
    ({"name": "x", "inn": "500100732259", "kpp": "773601001"}, "kpp"),
    ({"name": "x", "inn": "7707083893", "kpp": "77360100"}, "kpp"),
    ({"name": "x", "manager_id": "nobody"}, "manager_id"),
])
def test_client_identifiers_are_checked(north, body, field):
    answer = north.admin.post("/api/v1/clients", json=body)
    assert answer.status_code == 422
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_clients_and_contacts_with_russian_phone_formats(north):
    client = north.admin.post("/api/v1/clients", json={
        "name": "Ёлка-Маркет", "legal_name": "ООО «Ёлка»", "inn": "7736050003", "category": "gold",
        "manager_id": north.ids["dispatcher"]}).json()
    contact = north.admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Охранник", "phones": ["8 (495) 123-45-67", "+7 916 555-12-34"],
        "emails": ["Guard@Elka.Example"]}).json()
    assert contact["phones"] == ["+74951234567", "+79165551234"]
    assert contact["emails"] == ["guard@elka.example"] and contact["portal_access"] == "none"
    bad = north.admin.post(f"/api/v1/clients/{client['id']}/contacts",
                           json={"name": "x", "phones": ["12345"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phones.0"
    found = north.admin.get("/api/v1/clients", params={"q": "ёлка"}).json()["items"]
    assert [c["id"] for c in found] == [client["id"]]
    contacts = north.admin.get(f"/api/v1/clients/{client['id']}/contacts", params={"q": "+7495"}).json()
    assert [c["id"] for c in contacts["items"]] == [contact["id"]]


def test_tickets_reference_the_directory(north):
    ticket = north.admin.create_ticket(contact_id=north.ids["client_b_own"],
                                       assignee_id=north.ids["field_engineer"])
    assert ticket["client_id"] == north.ids["client_b"]
    wrong = north.admin.post("/api/v1/tickets", json={
        "title": "x", "client_id": north.ids["client_a"], "contact_id": north.ids["client_b_own"]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "contact_id"
    by_client = north.admin.get("/api/v1/tickets", params={"client_id": north.ids["client_b"],
                                                            "contact_id": north.ids["client_b_own"]})
    assert ticket["id"] in {t["id"] for t in by_client.json()["items"]}


def test_tickets_can_be_assigned_to_a_group(north):
    ticket = north.admin.create_ticket(assignee_group_id=north.ids["group"])
    listed = north.admin.get("/api/v1/tickets", params={"assignee_group_id": north.ids["group"]})
    assert ticket["id"] in {t["id"] for t in listed.json()["items"]}
    bad = north.admin.post("/api/v1/tickets", json={"title": "x", "assignee_group_id": "nobody"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "assignee_group_id"
