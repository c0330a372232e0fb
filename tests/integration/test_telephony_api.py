"""Telephony through the real suite: PBX webhooks to calls and tickets, the vendors' replies and
refusals, calls linked by hand, the caller card."""
import re

import pytest
import requests

from tests.integration.telephony_pbx import calls_of, connect, deliveries, eventually, post

CALLER = "+79161234567"  # the caller of every *_incoming_answered sample
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def desk(suite):
    """An account of its own: callback claims are per account and number."""
    admin = suite.admin("telephony-desk")
    client = admin.post("/api/v1/clients", json={"name": "ООО Ромашка"}).json()
    contact = admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Иван Звонарёв", "phones": ["8 (916) 123-45-67"]}).json()
    return {"admin": admin, "client": client, "contact": contact, "url": suite.url}


@pytest.mark.parametrize("name", ["zadarma_incoming_answered", "mango_incoming_answered",
                                  "asterisk_incoming_answered_ami", "generic_incoming_answered"])
def test_an_answered_call_opens_a_ticket_with_its_recording(desk, name):
    admin = desk["admin"]
    flow = deliveries(name)
    pbx = connect(admin, flow[0][0], rules={"known_caller": "open_new_ticket"})
    for dialect, delivery in flow:
        answer = post(desk["url"], pbx, dialect, delivery)
        assert answer.status_code == 200, answer.text
    call = eventually(lambda: [c for c in calls_of(admin, pbx)
                               if c["state"] == "finished" and c.get("ticket_ids")
                               and all(r["ready"] for r in c["recordings"])], "a filed call")[0]
    assert call["caller"] == CALLER and call["disposition"] == "answered"
    ticket = eventually(lambda: (lambda t: t if t.get("recordings") else None)(
        admin.get(f"/api/v1/tickets/{call['ticket_ids'][0]}").json()), "the recording")
    assert ticket["channel"] == "phone" and ticket["contact_id"] == desk["contact"]["id"]
    assert [c["call_id"] for c in ticket["calls"]] == [call["id"]]
    assert [r["reference"] for r in ticket["recordings"]] == [
        r["reference"] for r in call["recordings"]]
    times = [call["started_at"], call["ended_at"], ticket["calls"][0]["at"]] + [
        r["added_at"] for r in ticket["recordings"]]
    assert all(ISO_WITH_OFFSET.match(value) for value in times), times
    assert any(r["reference"] in c["body"] for c in ticket["comments"]
               for r in call["recordings"])


def test_vendor_replies_and_refusals(desk):
    admin, url = desk["admin"], desk["url"]
    zadarma = connect(admin, "zadarma")
    echo = requests.get(url + zadarma["webhook_path"], params={"zd_echo": "x1y2"}, timeout=10)
    assert echo.status_code == 200 and echo.text == "x1y2"
    dialect, delivery = deliveries("zadarma_incoming_missed")[0]
    forged = dict(delivery, form=dict(delivery["form"], caller_id="+70000000000"))
    refused = requests.post(url + zadarma["webhook_path"], data=forged["form"], headers={
        "Signature": "bm90LWEtc2lnbmF0dXJl"}, timeout=10)
    assert refused.status_code == 401, refused.text
    assert requests.post(url + "/api/v1/webhooks/telephony/" + "0" * 32, data={}, timeout=10
                         ).status_code == 404
    generic = connect(admin, "generic")
    wrong_token = generic["webhook_path"].rsplit("/", 1)[0] + "/not-the-token"
    assert requests.post(url + wrong_token, json={"event": "newCall"}, timeout=10
                         ).status_code == 401
    broken = requests.post(url + generic["webhook_path"], data=b"{not json",
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert broken.status_code == 400 and broken.json()["detail"]
    accepted = post(url, generic, *deliveries("generic_incoming_answered")[0])
    assert accepted.status_code == 200 and accepted.json() == {}
    mango = connect(admin, "mango")
    assert requests.post(url + mango["webhook_path"] + "/ping", timeout=10).status_code == 200
    assert calls_of(admin, zadarma) == [] and calls_of(admin, mango) == []
    eventually(lambda: calls_of(admin, generic), "the accepted generic event stored")
    metrics = requests.get(f"{url}/metrics", timeout=10).text
    for vendor, outcome in (("zadarma", "handshake"), ("zadarma", "bad_signature"),
                            ("unknown", "unknown_integration"), ("generic", "malformed"),
                            ("generic", "accepted"), ("mango", "handshake")):
        assert (f'telephony_webhook_events_total{{outcome="{outcome}",vendor="{vendor}"}}'
                in metrics), (vendor, outcome)


def test_a_call_is_linked_and_unlinked_by_hand(desk):
    admin, url = desk["admin"], desk["url"]
    pbx = connect(admin, "zadarma", rules={"unknown_caller": "ignore", "missed_call": "ignore"})
    for dialect, delivery in deliveries("zadarma_outgoing_busy"):
        assert post(url, pbx, dialect, delivery).status_code == 200
    call = eventually(lambda: [c for c in calls_of(admin, pbx) if c["state"] == "finished"],
                      "the outgoing call")[0]
    ticket = admin.create_ticket(title="Перезвонить по поводу замка")
    linked = admin.post(f"/api/v1/telephony/calls/{call['id']}/tickets",
                        json={"ticket_id": ticket["id"]})
    assert linked.status_code == 200, linked.text
    assert linked.json()["ticket_ids"] == [ticket["id"]]
    on_ticket = admin.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert [c["call_id"] for c in on_ticket["calls"]] == [call["id"]]
    assert ISO_WITH_OFFSET.match(on_ticket["calls"][0]["linked_at"]), on_ticket["calls"]
    again = admin.post(f"/api/v1/telephony/calls/{call['id']}/tickets",
                       json={"ticket_id": ticket["id"]})
    assert again.status_code == 200
    assert len(admin.get(f"/api/v1/tickets/{ticket['id']}").json()["calls"]) == 1
    unlinked = admin.delete(f"/api/v1/telephony/calls/{call['id']}/tickets/{ticket['id']}")
    assert unlinked.status_code == 200 and unlinked.json()["ticket_ids"] == []
    assert admin.get(f"/api/v1/tickets/{ticket['id']}").json()["calls"] == []


def test_the_caller_card_names_contact_client_tickets_and_contracts(desk):
    admin = desk["admin"]
    level = admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": {p: {"reaction_minutes": 30, "resolution_minutes": 240}
                                       for p in ("low", "normal", "high", "critical")},
        "monthly_price": {"amount": "25000"}}).json()
    contract = admin.post("/api/v1/contracts", json={
        "number": "Т-1", "client_id": desk["client"]["id"], "service_level_id": level["id"],
        "valid_from": "2025-01-01", "payment": {"state": "paid"}})
    assert contract.status_code == 201, contract.text
    ticket = admin.create_ticket(title="Не открывается дверь", client_id=desk["client"]["id"],
                                 contact_id=desk["contact"]["id"])
    card = admin.get("/api/v1/telephony/caller-card", params={"number": "8 916 123 45 67"})
    assert card.status_code == 200, card.text
    body = card.json()
    assert body["known"] and body["contact"]["id"] == desk["contact"]["id"]
    assert body["client"]["id"] == desk["client"]["id"]
    assert ticket["id"] in [t["id"] for t in body["open_tickets"]]
    [contract] = body["contracts"]
    assert contract["service_level"]["name"] == "Золото"
    assert contract["payment"]["state"] == "paid" and contract["valid_today"]
    unknown = admin.get("/api/v1/telephony/caller-card", params={"number": "+74990000001"})
    assert unknown.status_code == 200 and unknown.json()["known"] is False
    assert admin.get("/api/v1/telephony/caller-card", params={"number": "мусор"}
                     ).status_code == 422


def test_a_recording_reaches_the_ticket_after_hangup_even_when_it_was_closed(desk):
    admin, url = desk["admin"], desk["url"]
    pbx = connect(admin, "zadarma", rules={"known_caller": "open_new_ticket"})
    flow = deliveries("zadarma_incoming_answered")
    record = [entry for entry in flow if entry[1]["form"]["event"] == "NOTIFY_RECORD"]
    assert record
    for dialect, delivery in flow:
        if delivery["form"]["event"] != "NOTIFY_RECORD":
            assert post(url, pbx, dialect, delivery).status_code == 200
    call = eventually(lambda: [c for c in calls_of(admin, pbx)
                               if c["state"] == "finished" and c.get("ticket_ids")],
                      "the call filed")[0]
    ticket_id = call["ticket_ids"][0]
    closed = admin.post(f"/api/v1/tickets/{ticket_id}/status", json={"status": "closed"})
    assert closed.status_code == 200, closed.text
    assert not admin.get(f"/api/v1/tickets/{ticket_id}").json().get("recordings")
    for dialect, delivery in record * 2:
        assert post(url, pbx, dialect, delivery).status_code == 200
    ticket = eventually(lambda: (lambda t: t if t.get("recordings") else None)(
        admin.get(f"/api/v1/tickets/{ticket_id}").json()), "the recording on the closed ticket")
    assert ticket["status"] == "closed" and len(ticket["recordings"]) == 1
