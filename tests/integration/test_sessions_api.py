"""Signing in and out, tokens, passwords: each change takes effect at the very next request."""
import uuid

import pytest

from tests.integration.suite_process import Api
from tests.integration.world import PASSWORD, build_world, login


@pytest.fixture(scope="module")
def east(suite):
    return build_world(suite, "east")


def new_agent(world, suite, password=PASSWORD):
    email = f"agent-{uuid.uuid4().hex[:8]}@{world.slug}.example"
    employee = world.admin.create_employee("agent", email=email, password=password)
    return employee, email


def test_login_gives_a_session_that_works(suite, east):
    _, email = new_agent(east, suite)
    answer = Api(suite.url).post("/api/v1/auth/login",
                                 json={"account": "east", "login": email.upper(), "password": PASSWORD})
    assert answer.status_code == 201
    body = answer.json()
    assert body["kind"] == "session" and body["actor"]["roles"] == ["agent"]
    assert "password" not in answer.text and len(body["token"]) >= 43
    assert Api(suite.url, body["token"]).get("/api/v1/tickets").status_code == 200


@pytest.mark.parametrize("account, login_, password", [
    ("east", "nobody@east.example", PASSWORD), ("nowhere", "x@x.example", PASSWORD),
    ("east", "admin@east.example", "wrong-password-1"),
])
def test_failed_logins_all_look_the_same(suite, east, account, login_, password):
    answer = Api(suite.url).post("/api/v1/auth/login",
                                 json={"account": account, "login": login_, "password": password})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Unknown login or wrong password."


def test_five_failures_lock_the_login_even_for_the_right_password(suite, east):
    _, email = new_agent(east, suite)
    anonymous = Api(suite.url)
    for _ in range(5):
        assert anonymous.post("/api/v1/auth/login", json={
            "account": "east", "login": email, "password": "wrong-password-1"}).status_code == 401
    locked = anonymous.post("/api/v1/auth/login", json={"account": "east", "login": email,
                                                        "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 800
    audit = east.admin.get("/api/v1/audit", params={"action": "login.failed"}).json()["items"]
    assert sum(1 for e in audit if e["details"]["login"] == email) == 5
    assert any(e["details"]["locked"] for e in audit if e["details"]["login"] == email)


def test_logout_revokes_the_session(suite, east):
    _, email = new_agent(east, suite)
    session = login(suite.url, "east", email, PASSWORD)
    assert session.post("/api/v1/auth/logout").status_code == 200
    assert session.get("/api/v1/tickets").status_code == 401


def test_deactivating_an_employee_stops_their_tokens_and_sessions_at_once(suite, east):
    employee, email = new_agent(east, suite)
    session = login(suite.url, "east", email, PASSWORD)
    token = east.admin.post("/api/v1/tokens", json={"name": "робот", "employee_id": employee["id"]}).json()
    api_token = Api(suite.url, token["token"])
    assert api_token.get("/api/v1/tickets").status_code == 200
    east.admin.patch(f"/api/v1/employees/{employee['id']}", json={"active": False})
    assert session.get("/api/v1/tickets").status_code == 401
    assert api_token.get("/api/v1/tickets").status_code == 401
    east.admin.patch(f"/api/v1/employees/{employee['id']}", json={"active": True})
    assert api_token.get("/api/v1/tickets").status_code == 200


def test_a_revoked_token_stops_at_once_and_is_never_shown_again(suite, east):
    issued = east.admin.post("/api/v1/tokens", json={"name": "склад", "expires_in_days": 7}).json()
    assert Api(suite.url, issued["token"]).get("/api/v1/tickets").status_code == 200
    listed = east.admin.get("/api/v1/tokens").text
    assert issued["token"] not in listed and '"token"' not in listed
    assert east.admin.delete(f"/api/v1/tokens/{issued['id']}").json()["revoked_at"]
    assert Api(suite.url, issued["token"]).get("/api/v1/tickets").status_code == 401


def test_an_agent_manages_only_their_own_tokens(suite, east):
    agent = east.people["agent"]
    mine = agent.post("/api/v1/tokens", json={"name": "мой"}).json()
    assert {t["id"] for t in agent.get("/api/v1/tokens", params={"limit": 100}).json()["items"]} == {mine["id"]}
    assert agent.delete(f"/api/v1/tokens/{east.ids['token']}").status_code == 404
    assert agent.delete(f"/api/v1/tokens/{mine['id']}").status_code == 200


def test_password_change_ends_other_sessions(suite, east):
    _, email = new_agent(east, suite)
    first, second = login(suite.url, "east", email, PASSWORD), login(suite.url, "east", email, PASSWORD)
    wrong = first.post("/api/v1/auth/password", json={"current_password": "nope-nope-nope",
                                                      "new_password": "Another-password-1"})
    assert wrong.status_code == 403
    assert first.post("/api/v1/auth/password", json={
        "current_password": PASSWORD, "new_password": "Another-password-1"}).status_code == 200
    assert first.get("/api/v1/tickets").status_code == 200
    assert second.get("/api/v1/tickets").status_code == 401
    login(suite.url, "east", email, "Another-password-1")


def test_password_reset_by_token(suite, east):
    employee, email = new_agent(east, suite)
    session = login(suite.url, "east", email, PASSWORD)
    reset = east.admin.post(f"/api/v1/employees/{employee['id']}/password-reset")
    assert reset.status_code == 201 and reset.json()["kind"] == "password_reset"
    body = {"account": "east", "token": reset.json()["token"], "new_password": "Reset-password-42"}
    anonymous = Api(suite.url)
    assert anonymous.post("/api/v1/auth/password-reset", json=body).status_code == 200
    assert anonymous.post("/api/v1/auth/password-reset", json=body).status_code == 401
    assert session.get("/api/v1/tickets").status_code == 401
    login(suite.url, "east", email, "Reset-password-42")
    assert Api(suite.url, reset.json()["token"]).get("/api/v1/tickets").status_code == 401


def test_a_contact_signs_in_to_the_portal(suite, east):
    contact = login(suite.url, "east", east.emails["client_a_own"], PASSWORD)
    assert contact.get("/api/v1/tickets").status_code == 200
    answer = Api(suite.url).post("/api/v1/auth/login", json={
        "account": "east", "login": east.emails["client_a_none"], "password": PASSWORD})
    assert answer.status_code == 401


def test_closing_a_contacts_portal_access_stops_their_session(suite, east):
    session = login(suite.url, "east", east.emails["client_b_own"], PASSWORD)
    path = f"/api/v1/clients/{east.ids['client_b']}/contacts/{east.ids['client_b_own']}"
    contact = east.admin.get(path).json()
    east.admin.patch(path, json={"name": contact["name"], "emails": contact["emails"],
                               "portal_access": "none"})
    assert session.get("/api/v1/tickets").status_code == 401


def test_deactivating_an_account_blocks_all_its_credentials(suite):
    world = build_world(suite, f"west{uuid.uuid4().hex[:4]}")
    account = world.admin.get("/api/v1/account").json()
    owner = suite.owner()
    assert owner.post(f"/api/v1/accounts/{account['id']}/deactivate").json()["active"] is False
    for api in [world.admin, *world.people.values()]:
        assert api.get("/api/v1/tickets").status_code == 401
    owner.post(f"/api/v1/accounts/{account['id']}/activate")
    assert world.admin.get("/api/v1/tickets").status_code == 200


def test_the_last_admin_cannot_be_demoted_or_deactivated(suite):
    world_admin = suite.admin(f"solo-{uuid.uuid4().hex[:6]}")
    me = world_admin.get("/api/v1/employees").json()["items"][0]
    assert world_admin.patch(f"/api/v1/employees/{me['id']}", json={"roles": ["agent"]}).status_code == 409
    assert world_admin.patch(f"/api/v1/employees/{me['id']}", json={"active": False}).status_code == 409
    second = world_admin.create_employee("admin")
    token = world_admin.post("/api/v1/tokens", json={"name": "второй", "employee_id": second["id"]})
    second_admin = Api(suite.url, token.json()["token"])
    assert world_admin.patch(f"/api/v1/employees/{me['id']}", json={"roles": ["agent"]}).status_code == 200
    assert second_admin.patch(f"/api/v1/employees/{second['id']}", json={"active": False}).status_code == 409


def test_only_admins_set_a_contacts_password_and_it_ends_their_sessions(suite, east):
    path = f"/api/v1/clients/{east.ids['client_a']}/contacts/{east.ids['client_a_company']}"
    contact = east.admin.get(path).json()
    body = {"name": contact["name"], "emails": contact["emails"], "portal_access": "company",
            "password": "Taken-over-password-1"}
    assert east.people["dispatcher"].patch(path, json=body).status_code == 403
    session = login(suite.url, "east", east.emails["client_a_company"], PASSWORD)
    assert east.admin.patch(path, json=body).status_code == 200
    assert session.get("/api/v1/tickets").status_code == 401
    audit = east.admin.get("/api/v1/audit", params={"action": "password.set"}).json()["items"]
    assert audit and audit[0]["target_id"] == east.ids["client_a_company"]
