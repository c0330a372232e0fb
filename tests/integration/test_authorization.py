"""Role escalation is refused, and bodies cannot set what the server owns (mass assignment)."""
import pytest

from tests.integration.suite_process import Api

ADMIN_ONLY = [
    ("POST", "/api/v1/employees", {"name": "Новый", "email": "new@x.example", "roles": ["admin"]}),
    ("PATCH", "/api/v1/employees/{agent}", {"roles": ["admin"]}),
    ("POST", "/api/v1/employees/{agent}/password-reset", None),
    ("POST", "/api/v1/groups", {"name": "Захват"}),
    ("PATCH", "/api/v1/account", {"name": "Захват"}),
    ("GET", "/api/v1/audit", None),
    ("POST", "/api/v1/price-items", {"code": "Z", "name": "z", "unit": "z", "price": {"amount": "1"}}),
    ("PUT", "/api/v1/coverage-policy", {"actions": {"covered": "reject"}, "messages": {},
                                        "sales_group_id": None, "paid_work_code": None}),
    ("PATCH", "/api/v1/coverage-policy", {"actions": {"covered": "reject"}}),
    ("POST", "/api/v1/tokens", {"name": "чужой", "employee_id": "{admin}"}),
    ("GET", "/api/v1/billing/connections", None),
    ("GET", "/api/v1/billing/connections/{onec_connection}", None),
    ("POST", "/api/v1/billing/connections/{onec_connection}/runs", {}),
    ("GET", "/api/v1/billing/runs/{onec_run}", None),
    ("GET", "/api/v1/billing/connections/{onec_connection}/unmatched", None),
    ("GET", "/api/v1/dead-letters/tickets", None),
    ("GET", "/api/v1/dead-letters/telephony", None),
    ("GET", "/api/v1/dead-letters/telephony/{dead_letter}", None),
    ("POST", "/api/v1/dead-letters/telephony/{dead_letter}/replay", None),
    ("POST", "/api/v1/dead-letters/telephony/{dead_letter}/discard", None),
]
MANAGERS_ONLY = [
    ("POST", "/api/v1/clients", {"name": "Новый клиент"}),
    ("POST", "/api/v1/equipment", {"site_id": "{site}", "manufacturer": "x", "model": "y"}),
    ("PUT", "/api/v1/contracts/{contract}/payment", {"state": "paid", "balance": None,
                                                     "last_payment_on": None}),
    ("PATCH", "/api/v1/contracts/{contract}/payment", {"state": "paid"}),
    ("POST", "/api/v1/equipment/{equipment}/rotate-code", None),
    ("PUT", "/api/v1/clients/{client_a}", {"name": "Переименован", "legal_name": None, "inn": None,
                                           "kpp": None, "category": None, "manager_id": None,
                                           "notes": "", "sla_targets": {}}),
    ("PATCH", "/api/v1/clients/{client_a}", {"name": "Переименован"}),
    ("POST", "/api/v1/clients/{client_a}/contacts", {"name": "Новый контакт"}),
]
EMPLOYEES_ONLY = [
    ("GET", "/api/v1/employees", None), ("GET", "/api/v1/clients", None),
    ("GET", "/api/v1/groups", None), ("GET", "/api/v1/account", None),
    ("POST", "/api/v1/tokens", {"name": "мой"}),
    ("PATCH", "/api/v1/tickets/{ticket_client_a}", {"priority": "critical"}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/status", {"status": "closed"}),
    ("POST", "/api/v1/tickets/{ticket_client_a}/works", {"code": "CALL", "quantity": "1"}),
    ("GET", "/api/v1/contracts", None),  # equipment and sites: a contact reads their own (test_portal_api)
    ("GET", "/api/v1/price-items", None),
]
OWNER_ONLY = [
    ("GET", "/api/v1/accounts", None),
    ("POST", "/api/v1/accounts", {"slug": "stolen", "name": "x", "admin": {"name": "x", "email": "x@x.example"}}),
    ("POST", "/api/v1/accounts/{account}/deactivate", None),
]


def fill(world, path, body):
    ids = dict(world.ids, account="0" * 32)
    path = path.format(**ids)
    if body:
        body = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in body.items()}
    return path, body


def refused(api, world, method, path, body):
    path, body = fill(world, path, body)
    answer = api.request(method, path, json=body)
    assert answer.status_code == 403, f"{method} {path}: {answer.status_code} {answer.text}"
    assert answer.json()["type"].endswith("/forbidden")


@pytest.mark.parametrize("method, path, body", ADMIN_ONLY)
@pytest.mark.parametrize("role", ["dispatcher", "agent", "field_engineer"])
def test_admin_actions_refuse_other_roles(north, role, method, path, body):
    refused(north.people[role], north, method, path, body)


@pytest.mark.parametrize("method, path, body", MANAGERS_ONLY)
@pytest.mark.parametrize("role", ["agent", "field_engineer"])
def test_client_management_refuses_agents_and_engineers(north, role, method, path, body):
    refused(north.people[role], north, method, path, body)


@pytest.mark.parametrize("method, path, body", EMPLOYEES_ONLY + ADMIN_ONLY + MANAGERS_ONLY)
def test_contacts_call_no_employee_action(north, method, path, body):
    refused(north.people["client_a_company"], north, method, path, body)


@pytest.mark.parametrize("method, path, body", OWNER_ONLY)
def test_account_management_is_the_owners(north, method, path, body):
    refused(north.admin, north, method, path, body)


def test_contacts_write_no_internal_comments(north):
    path = f"/api/v1/tickets/{north.ids['ticket_client_a']}/comments"
    answer = north.people["client_a_company"].post(path, json={"body": "x", "visibility": "internal"})
    assert answer.status_code == 403


def test_the_owner_token_reaches_no_account_data(suite):
    owner = suite.owner()
    assert owner.get("/api/v1/tickets").status_code == 403
    assert owner.get("/api/v1/employees").status_code == 403


# -- mass assignment: fields the server owns are unknown fields --------------------------------

@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/tickets", {"title": "x", "account_id": "other"}, "account_id"),
    ("/api/v1/tickets", {"title": "x", "number": 1}, "number"),
    ("/api/v1/tickets", {"title": "x", "created_at": "2020-01-01T00:00:00+00:00"}, "created_at"),
    ("/api/v1/tickets", {"title": "x", "created_by": {"kind": "employee", "id": "x"}}, "created_by"),
    ("/api/v1/tickets", {"title": "x", "status": "closed"}, "status"),
    ("/api/v1/employees", {"name": "x", "email": "m@x.example", "roles": ["agent"], "account_id": "o"}, "account_id"),
    ("/api/v1/employees", {"name": "x", "email": "m@x.example", "roles": ["agent"], "group_ids": []}, "group_ids"),
    ("/api/v1/employees", {"name": "x", "email": "m@x.example", "roles": ["agent"], "password_hash": "x"}, "password_hash"),
    ("/api/v1/clients", {"name": "x", "account_id": "other"}, "account_id"),
    ("/api/v1/tokens", {"name": "x", "account_id": "other"}, "account_id"),
])
def test_server_owned_fields_are_rejected(north, path, body, field):
    answer = north.admin.post(path, json=body)
    assert answer.status_code == 422
    assert {"field": field, "reason": "Неизвестное поле."} in answer.json()["errors"]


def test_a_contact_body_cannot_move_the_contact_to_another_client(north):
    path = f"/api/v1/clients/{north.ids['client_a']}/contacts/{north.ids['client_a_none']}"
    answer = north.admin.patch(path, json={"name": "x", "client_id": north.ids["client_b"]})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "client_id", "reason": "Неизвестное поле."}]


def test_anonymous_callers_learn_nothing_from_validation(suite):
    answer = Api(suite.url).post("/api/v1/employees", json={"bogus": 1})
    assert answer.status_code == 401
