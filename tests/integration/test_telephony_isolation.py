"""Telephony between accounts and for client contacts: another account's integrations and calls
are 404 and absent from lists, a webhook proves only its own integration, and contacts reach no
telephony endpoint."""
import pytest
import requests

from tests.integration.telephony_pbx import calls_of


def test_another_accounts_integrations_and_calls_are_invisible(north, south):
    for path in (f"/api/v1/telephony/integrations/{north.ids['pbx']}",
                 f"/api/v1/telephony/calls/{north.ids['call']}"):
        assert south.admin.get(path).status_code == 404
    assert north.ids["pbx"] not in [i["id"] for i in south.admin.get(
        "/api/v1/telephony/integrations").json()["items"]]
    assert calls_of(south.admin, {"id": north.ids["pbx"]}) == []
    linked = south.admin.post(f"/api/v1/telephony/calls/{south.ids['call']}/tickets",
                              json={"ticket_id": north.ids["ticket_client_a"]})
    assert linked.status_code == 404, linked.text
    north_ticket = north.admin.get(f"/api/v1/tickets/{north.ids['ticket_client_a']}").json()
    assert not north_ticket.get("calls")


def test_a_webhook_proves_only_its_own_integration(suite, north, south):
    """North's URL token on south's integration is refused, and nothing reaches south."""
    north_token = north.webhook_paths["pbx"].rsplit("/", 1)[1]
    south_path = south.webhook_paths["pbx"].rsplit("/", 1)[0]
    before = calls_of(south.admin, {"id": south.ids["pbx"]})
    forged = requests.post(f"{suite.url}{south_path}/{north_token}", timeout=15, json={
        "event": "newCall", "callId": "forged-1", "from": "84950000000", "to": "74990000000",
        "direction": "in"})
    assert forged.status_code == 401, forged.text
    assert calls_of(south.admin, {"id": south.ids["pbx"]}) == before


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/v1/telephony/integrations", None),
    ("POST", "/api/v1/telephony/integrations", {"name": "x", "dialect": "generic"}),
    ("GET", "/api/v1/telephony/integrations/{pbx}", None),
    ("GET", "/api/v1/telephony/calls", None),
    ("GET", "/api/v1/telephony/calls/{call}", None),
    ("POST", "/api/v1/telephony/calls/{call}/tickets", {"ticket_id": "{ticket_client_a}"}),
    ("DELETE", "/api/v1/telephony/calls/{call}/tickets/{ticket_client_a}", None),
    ("GET", "/api/v1/telephony/caller-card?number=%2B74951234567", None),
])
def test_contacts_reach_no_telephony_endpoint(north, method, path, body):
    body = {k: v.format(**north.ids) for k, v in body.items()} if body else None
    for access in ("own", "company"):
        answer = north.people[f"client_a_{access}"].request(method, path.format(**north.ids),
                                                             json=body)
        assert answer.status_code == 403, answer.text


@pytest.mark.parametrize("role", ["dispatcher", "agent", "field_engineer"])
def test_only_admins_manage_integrations(north, role):
    person = north.people[role]
    assert person.get("/api/v1/telephony/integrations").status_code == 403
    assert person.get(f"/api/v1/telephony/integrations/{north.ids['pbx']}").status_code == 403
    assert person.get("/api/v1/telephony/calls").status_code == 200
